// Video decoding for the downgrade path (SPEC section 3: a recorded clip instead of a live
// stream) and for tests and benchmarks that replay real clips: OpenCV's VideoCapture over
// a file, which Debian builds on FFmpeg.
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>

using veriface::guarded;
using veriface::setMessage;

struct vf_video {
    cv::VideoCapture capture;
    int64_t index = 0;
    double fps = 0;
};

extern "C" {

vf_status vf_video_open(const char *path, vf_video **out, vf_message *error) {
    if (!path || !out) return VF_ERR_ARGUMENT;
    *out = nullptr;
    return guarded(error, [&]() -> vf_status {
        auto video = std::make_unique<vf_video>();
        // FFmpeg explicitly: the other back ends (GStreamer, images) guess from the name
        // and would turn a missing file into a confusing success.
        if (!video->capture.open(path, cv::CAP_FFMPEG) || !video->capture.isOpened()) {
            setMessage(error, std::string("cannot open video: ") + path);
            return VF_ERR_DECODE;
        }
        double fps = video->capture.get(cv::CAP_PROP_FPS);
        video->fps = std::isfinite(fps) && fps > 0 ? fps : 0;
        *out = video.release();
        return VF_OK;
    });
}

void vf_video_free(vf_video *video) { delete video; }

double vf_video_fps(const vf_video *video) { return video ? video->fps : 0; }

int64_t vf_video_frame_count(const vf_video *video) {
    if (!video) return 0;
    double count = video->capture.get(cv::CAP_PROP_FRAME_COUNT);
    return std::isfinite(count) && count > 0 ? static_cast<int64_t>(count) : 0;
}

int vf_video_width(const vf_video *video) {
    return video ? static_cast<int>(video->capture.get(cv::CAP_PROP_FRAME_WIDTH)) : 0;
}

int vf_video_height(const vf_video *video) {
    return video ? static_cast<int>(video->capture.get(cv::CAP_PROP_FRAME_HEIGHT)) : 0;
}

vf_status vf_video_read(vf_video *video, vf_image **out, double *time_ms, vf_message *error) {
    if (!video || !out) return VF_ERR_ARGUMENT;
    *out = nullptr;
    return guarded(error, [&]() -> vf_status {
        // A fresh Mat each time: the image handed out owns its pixels and never changes.
        cv::Mat frame;
        if (!video->capture.read(frame) || frame.empty()) return VF_OK; // end of stream
        cv::Mat bgr;
        if (frame.type() == CV_8UC3) bgr = frame.isContinuous() ? frame : frame.clone();
        else if (frame.type() == CV_8UC1) cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
        else if (frame.type() == CV_8UC4) cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR);
        else { setMessage(error, "unsupported video pixel format"); return VF_ERR_DECODE; }
        if (time_ms) {
            // The container's timestamp of this frame; frame index / fps where it has none.
            double position = video->capture.get(cv::CAP_PROP_POS_MSEC);
            double fallback = video->fps > 0 ? 1000.0 * video->index / video->fps : 0;
            *time_ms = std::isfinite(position) && (position > 0 || video->index == 0) ? position : fallback;
        }
        video->index += 1;
        *out = new vf_image{bgr};
        return VF_OK;
    });
}

vf_status vf_image_copy_bgr(const vf_image *image, uint8_t *pixels, size_t capacity) {
    if (!image || !pixels) return VF_ERR_ARGUMENT;
    const cv::Mat &bgr = image->bgr;
    size_t needed = static_cast<size_t>(bgr.cols) * bgr.rows * 3;
    if (capacity < needed) return VF_ERR_ARGUMENT;
    for (int row = 0; row < bgr.rows; ++row)
        std::memcpy(pixels + static_cast<size_t>(row) * bgr.cols * 3, bgr.ptr(row), static_cast<size_t>(bgr.cols) * 3);
    return VF_OK;
}

} // extern "C"
