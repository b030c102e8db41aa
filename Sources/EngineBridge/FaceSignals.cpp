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

extern "C" vf_status vf_light_means(const vf_image *image, const vf_detection *box, float *out6) {
    if (!image || !box || !out6 || box->width <= 0 || box->height <= 0) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        const cv::Mat &bgr = image->bgr;
        const cv::Rect whole(0, 0, bgr.cols, bgr.rows);
        const cv::Rect2f face = veriface::boxOf(*box);
        // Cheeks and nose: no hair, eyebrows or background at the box's edges.
        const cv::Rect skin = cv::Rect(cv::Rect2f(face.x + face.width * 0.2f, face.y + face.height * 0.35f,
                                                  face.width * 0.6f, face.height * 0.45f)) & whole;
        std::fill(out6, out6 + 6, 0.f);
        if (skin.width < 2 || skin.height < 2) return VF_OK;
        const cv::Scalar inner = cv::mean(bgr(skin));
        cv::Mat outside(bgr.rows, bgr.cols, CV_8U, cv::Scalar(255));
        const cv::Rect grown = cv::Rect(cv::Rect2f(face.x - face.width * 0.25f, face.y - face.height * 0.25f,
                                                   face.width * 1.5f, face.height * 1.5f)) & whole;
        outside(grown).setTo(0);
        const cv::Scalar outer = cv::countNonZero(outside) > 0 ? cv::mean(bgr, outside) : cv::Scalar::all(0);
        for (int c = 0; c < 3; ++c) {
            out6[c] = static_cast<float>(inner[c]);
            out6[3 + c] = static_cast<float>(outer[c]);
        }
        return VF_OK;
    });
}
