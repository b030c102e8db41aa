// SFace embeddings: the face is aligned to the 112x112 ArcFace template by a similarity
// transform of its five key points, then OpenCV's FaceRecognizerSF extracts the feature.
//
// The alignment is done here rather than by FaceRecognizerSF::alignCrop because that one
// fills whatever lies outside the photo with black; tight crops (a face filling the
// picture) then lose their forehead and chin to black bars and score much lower.
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>

using veriface::guarded;

namespace {

const cv::Point2f kTemplate[5] = {
    {38.2946f, 51.6963f}, {73.5318f, 51.5014f}, {56.0252f, 71.7366f}, {41.5493f, 92.3655f}, {70.7299f, 92.2041f}};

/// The least-squares similarity (rotation, uniform scale, translation) taking `from` to `to`.
cv::Mat similarityTransform(const cv::Point2f *from, const cv::Point2f *to, int n) {
    cv::Point2f meanFrom(0, 0), meanTo(0, 0);
    for (int i = 0; i < n; ++i) { meanFrom += from[i]; meanTo += to[i]; }
    meanFrom *= 1.f / n;
    meanTo *= 1.f / n;
    double dot = 0, cross = 0, norm = 0;
    for (int i = 0; i < n; ++i) {
        cv::Point2f p = from[i] - meanFrom, q = to[i] - meanTo;
        dot += p.x * q.x + p.y * q.y;
        cross += p.x * q.y - p.y * q.x;
        norm += p.x * p.x + p.y * p.y;
    }
    const double a = norm > 0 ? dot / norm : 1, b = norm > 0 ? cross / norm : 0;
    cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, 0, b, a, 0);
    m.at<double>(0, 2) = meanTo.x - (a * meanFrom.x - b * meanFrom.y);
    m.at<double>(1, 2) = meanTo.y - (b * meanFrom.x + a * meanFrom.y);
    return m;
}

} // namespace

extern "C" vf_status vf_embed_sface(vf_engine *engine, const vf_image *image, const vf_detection *box,
                                    float *out128, vf_message *error) {
    if (!engine || !image || !box || !out128) return VF_ERR_ARGUMENT;
    return guarded(error, [&]() -> vf_status {
        cv::Point2f points[5];
        for (int k = 0; k < 5; ++k) points[k] = {box->landmarks[2 * k], box->landmarks[2 * k + 1]};
        cv::Mat aligned, feature;
        cv::warpAffine(image->bgr, aligned, similarityTransform(points, kTemplate, 5), cv::Size(112, 112),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        engine->sface->feature(aligned, feature);
        const float *f = feature.ptr<float>();
        for (int i = 0; i < 128; ++i) out128[i] = f[i];
        return VF_OK;
    });
}
