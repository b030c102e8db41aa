// Definitions shared by the bridge's C++ files; never included from Swift.
#pragma once

#include "EngineBridge.h"
#include "DlibNetworks.hpp"

#include <dlib/opencv.h>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/objdetect/face.hpp>

#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

struct vf_image {
    cv::Mat bgr; // CV_8UC3, continuous, never changed after creation
};

struct vf_engine {
    std::string modelsDir;
    cv::dnn::Net yunet;       // any input size
    // The coarse pass of coarse-to-fine detection, one network per input size (width,
    // height), made on first use from `yunetModel`: a camera's frames keep one size, and
    // OpenCV's DNN reallocates every layer whenever a network's input size changes.
    std::map<std::pair<int, int>, cv::dnn::Net> yunetCoarse;
    std::vector<uchar> yunetModel;
    cv::dnn::Net yunetRefine; // fixed 192x192: key points of that face
    cv::Ptr<cv::FaceRecognizerSF> sface;

    bool hasDlib = false;
    dlib::frontal_face_detector hog;
    dlib::shape_predictor shape5;
    veriface::ResNetEmbedder resnet;

    bool hasLandmarks68 = false;
    dlib::shape_predictor shape68;

    bool hasMesh = false;
    cv::dnn::Net mesh;
    cv::dnn::Net iris;

    bool hasAttributes = false;
    cv::dnn::Net age;
    cv::dnn::Net gender;
};

namespace veriface {

inline void setMessage(vf_message *message, const std::string &text) {
    if (!message) return;
    std::strncpy(message->text, text.c_str(), sizeof(message->text) - 1);
    message->text[sizeof(message->text) - 1] = '\0';
}

/// Runs `body`, turning any C++ exception into VF_ERR_ENGINE with its text, so that no
/// exception ever crosses into Swift.
template <typename Body>
vf_status guarded(vf_message *message, Body &&body) {
    try {
        return body();
    } catch (const std::exception &error) {
        setMessage(message, error.what());
        return VF_ERR_ENGINE;
    } catch (...) {
        setMessage(message, "unknown engine exception");
        return VF_ERR_ENGINE;
    }
}

inline cv::Rect2f boxOf(const vf_detection &face) {
    return cv::Rect2f(face.x, face.y, face.width, face.height);
}

/// dlib's shape predictors were trained on dlib's detector boxes; this maps any detector's
/// box to that framing (square, centred a little lower than a forehead-to-chin box).
dlib::rectangle dlibRectangle(const vf_detection &face);

/// The dlib 5-point shape of a face, computed on the whole image.
dlib::full_object_detection dlibShape5(vf_engine &engine, const cv::Mat &bgr,
                                       const vf_detection &face);

} // namespace veriface
