// Image measurements of one face that the quality score is built from.
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>

using veriface::guarded;

extern "C" vf_status vf_face_signals_measure(const vf_image *image, const vf_detection *box,
                                             vf_face_signals *out) {
    if (!image || !box || !out || box->width <= 0 || box->height <= 0) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        const cv::Mat &bgr = image->bgr;
        const cv::Rect2f face = veriface::boxOf(*box);
        const cv::Rect2f bounds(0, 0, float(bgr.cols), float(bgr.rows));
        // A face is complete when its box and a 10% margin (chin, forehead) are in frame.
        cv::Rect2f withMargin(face.x - face.width * 0.1f, face.y - face.height * 0.1f,
                              face.width * 1.2f, face.height * 1.2f);
        out->completeness = (withMargin & bounds).area() / std::max(withMargin.area(), 1.f);

        cv::Rect inside = cv::Rect(face) & cv::Rect(0, 0, bgr.cols, bgr.rows);
        if (inside.width < 2 || inside.height < 2) {
            out->sharpness = out->brightness = out->contrast = 0;
            return VF_OK;
        }
        cv::Mat gray;
        cv::cvtColor(bgr(inside), gray, cv::COLOR_BGR2GRAY);
        cv::Scalar mean, deviation;
        cv::meanStdDev(gray, mean, deviation);
        out->brightness = static_cast<float>(mean[0]);
        out->contrast = static_cast<float>(deviation[0]);

        // Sharpness at a fixed scale, so that big and small faces are comparable.
        cv::Mat normalised, laplacian;
        const int width = 112, height = std::max(1, int(112.0 * inside.height / inside.width));
        cv::resize(gray, normalised, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        cv::Laplacian(normalised, laplacian, CV_32F);
        cv::meanStdDev(laplacian, mean, deviation);
        out->sharpness = static_cast<float>(deviation[0] * deviation[0]);
        return VF_OK;
    });
}
