// MediaPipe's face mesh (468 points) and iris model, run through OpenCV DNN on crops
// rotated so that the eyes are level, as MediaPipe's own pipeline feeds them.
//
// The iris model also traces both eyelids, and that contour is what follows a blink: the
// mesh's own eye points barely move when the eyes close (driving_d18's blinks take the
// mesh's eye ratio from 0.26 to 0.23, the iris model's from 0.30 to 0.10).
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>

using veriface::guarded;
using veriface::setMessage;

namespace {

constexpr int kMeshSide = 192;
constexpr int kIrisSide = 64;
constexpr int kMeshPoints = 468;
constexpr int kEyelidPoints = 16;

/// The affine map from the image into a `side` x `side` crop centred on `centre`, covering
/// `extent` pixels, rotated by `angle` radians so the given axis becomes horizontal.
cv::Mat cropTransform(cv::Point2f centre, float extent, float angle, int side) {
    cv::Mat m = cv::getRotationMatrix2D(centre, angle * 180.0 / CV_PI, side / extent);
    m.at<double>(0, 2) += side / 2.0 - centre.x;
    m.at<double>(1, 2) += side / 2.0 - centre.y;
    return m;
}

/// RGB scaled to [0, 1], NCHW: the input both MediaPipe models take.
cv::Mat unitBlob(const cv::Mat &bgrCrop) {
    return cv::dnn::blobFromImage(bgrCrop, 1.0 / 255.0, cv::Size(), cv::Scalar(), true, false);
}

const cv::Mat &outputWithSize(const std::vector<cv::Mat> &outputs, size_t size) {
    for (const auto &output : outputs)
        if (output.total() == size) return output;
    throw std::runtime_error("model output of the expected size is missing");
}

cv::Point2f mapBack(const cv::Mat &inverse, float x, float y) {
    const double *m0 = inverse.ptr<double>(0), *m1 = inverse.ptr<double>(1);
    return {float(m0[0] * x + m0[1] * y + m0[2]), float(m1[0] * x + m1[1] * y + m1[2])};
}

/// One run of the mesh model on `region`: the 468 points in image pixels (z in the same
/// scale) into `out`, and the model's face presence score.
float runMesh(vf_engine &engine, const cv::Mat &bgr, const vf_mesh_region &region, float *out) {
    cv::Mat m = cropTransform(cv::Point2f(region.cx, region.cy), region.extent, region.angle, kMeshSide), inverse, crop;
    cv::warpAffine(bgr, crop, m, cv::Size(kMeshSide, kMeshSide), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
    cv::invertAffineTransform(m, inverse);
    engine.mesh.setInput(unitBlob(crop));
    std::vector<cv::Mat> outputs;
    engine.mesh.forward(outputs, engine.mesh.getUnconnectedOutLayersNames());
    const float *points = outputWithSize(outputs, kMeshPoints * 3).ptr<float>();
    const float logit = outputWithSize(outputs, 1).ptr<float>()[0];
    const float scale = kMeshSide / region.extent;
    for (int i = 0; i < kMeshPoints; ++i) {
        cv::Point2f p = mapBack(inverse, points[3 * i], points[3 * i + 1]);
        out[3 * i] = p.x;
        out[3 * i + 1] = p.y;
        out[3 * i + 2] = points[3 * i + 2] / scale;
    }
    return 1.f / (1.f + std::exp(-logit));
}

/// The region MediaPipe tracks a face with: the box of its own mesh, 1.5 times as wide,
/// levelled on the outer eye corners (33 and 263).
vf_mesh_region regionOfMesh(const float *mesh) {
    cv::Point2f low(mesh[0], mesh[1]), high = low;
    for (int i = 1; i < kMeshPoints; ++i) {
        low.x = std::min(low.x, mesh[3 * i]); low.y = std::min(low.y, mesh[3 * i + 1]);
        high.x = std::max(high.x, mesh[3 * i]); high.y = std::max(high.y, mesh[3 * i + 1]);
    }
    const float angle = std::atan2(mesh[3 * 263 + 1] - mesh[3 * 33 + 1], mesh[3 * 263] - mesh[3 * 33]);
    return {(low.x + high.x) / 2, (low.y + high.y) / 2, std::max(std::max(high.x - low.x, high.y - low.y) * 1.5f, 8.f), angle};
}

/// The five iris points (centre first) and the eyelid contour of one eye, from its two
/// corners in image pixels, the one on the image's left first. The model knows the
/// subject's right eye as a camera sees it (outer corner on the left); the left eye is
/// flipped to look like one.
void irisPoints(vf_engine &engine, const cv::Mat &bgr, cv::Point2f a, cv::Point2f b, bool mirror,
                float imageScale, float *out15, float *eyelid32) {
    cv::Point2f centre = (a + b) * 0.5f;
    cv::Point2f axis = b - a;
    float extent = std::max(2.3f * std::hypot(axis.x, axis.y), 4.f);
    // Level and upright for both eyes, then flipped for the left eye (turning it by 180
    // degrees as well would show it upside down, and its eyelids would be lost).
    float angle = std::atan2(axis.y, axis.x);
    cv::Mat m = cropTransform(centre, extent, angle, kIrisSide), inverse, crop;
    cv::warpAffine(bgr, crop, m, cv::Size(kIrisSide, kIrisSide), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    if (mirror) cv::flip(crop, crop, 1);
    cv::invertAffineTransform(m, inverse);
    engine.iris.setInput(unitBlob(crop));
    std::vector<cv::Mat> outputs;
    engine.iris.forward(outputs, engine.iris.getUnconnectedOutLayersNames());
    const float *iris = outputWithSize(outputs, 15).ptr<float>();
    const float *contour = outputWithSize(outputs, 71 * 3).ptr<float>();
    for (int k = 0; k < kEyelidPoints; ++k) {
        float x = contour[3 * k], y = contour[3 * k + 1];
        if (mirror) x = kIrisSide - x;
        cv::Point2f p = mapBack(inverse, x, y);
        eyelid32[2 * k] = p.x;
        eyelid32[2 * k + 1] = p.y;
    }
    for (int k = 0; k < 5; ++k) {
        float x = iris[3 * k], y = iris[3 * k + 1];
        if (mirror) x = kIrisSide - x;
        cv::Point2f p = mapBack(inverse, x, y);
        out15[3 * k] = p.x;
        out15[3 * k + 1] = p.y;
        out15[3 * k + 2] = iris[3 * k + 2] / imageScale;
    }
}

} // namespace

extern "C" {

vf_status vf_face_mesh(vf_engine *engine, const vf_image *image, const vf_detection *box,
                       const vf_mesh_region *track, float *out, float *eyelids, float *presence,
                       vf_mesh_region *next, vf_message *error) {
    if (!engine || !image || !(box || track) || !out || !eyelids || !presence) return VF_ERR_ARGUMENT;
    if (!engine->hasMesh) { setMessage(error, "the face mesh model is not loaded"); return VF_ERR_UNAVAILABLE; }
    return guarded(error, [&]() -> vf_status {
        const cv::Mat &bgr = image->bgr;
        vf_mesh_region region;
        if (track) {
            region = *track;
        } else {
            // The mesh's reading of the head pose depends on where the crop sits: a detector
            // box a few pixels off turns a 12-degree yaw into 16 (driving_d12). A second run
            // on the region of the first mesh, as MediaPipe's tracking does, no longer depends
            // on the detector (the two readings then agree within 2 degrees).
            cv::Point2f rightEye(box->landmarks[0], box->landmarks[1]), leftEye(box->landmarks[2], box->landmarks[3]);
            const vf_mesh_region fromBox = {box->x + box->width / 2, box->y + box->height / 2,
                                            std::max(box->width, box->height) * 1.5f,
                                            std::atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x)};
            runMesh(*engine, bgr, fromBox, out);
            region = regionOfMesh(out);
        }
        *presence = runMesh(*engine, bgr, region, out);
        if (next) *next = regionOfMesh(out);
        const float scale = kMeshSide / region.extent;
        auto meshPoint = [&](int i) { return cv::Point2f(out[3 * i], out[3 * i + 1]); };
        // Eye corners 33/133 (subject's right eye) and 362/263 (subject's left eye).
        irisPoints(*engine, bgr, meshPoint(33), meshPoint(133), false, scale, out + 3 * kMeshPoints, eyelids);
        irisPoints(*engine, bgr, meshPoint(362), meshPoint(263), true, scale, out + 3 * (kMeshPoints + 5),
                   eyelids + 2 * kEyelidPoints);
        return VF_OK;
    });
}

} // extern "C"
