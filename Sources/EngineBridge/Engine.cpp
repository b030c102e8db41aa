// Loading the models of one engine. Each engine owns its own copies of the networks so
// that engines on different threads never share mutable state.
#include "EngineInternal.hpp"

#include <opencv2/core/utility.hpp>

#include <fstream>
#include <iterator>

using veriface::guarded;
using veriface::setMessage;

namespace {

bool fileExists(const std::string &path) {
    std::ifstream file(path, std::ios::binary);
    return file.good();
}

/// Resolves a model file, or reports which one is missing and how to get it.
bool requireModel(const std::string &dir, const char *name, std::string &path, vf_message *error) {
    path = dir + "/" + name;
    if (fileExists(path)) return true;
    setMessage(error, std::string("model file missing: ") + path + " (run scripts/install-models)");
    return false;
}

std::vector<uchar> readFile(const std::string &path) {
    std::ifstream file(path, std::ios::binary);
    return std::vector<uchar>(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

cv::dnn::Net loadOnnx(const std::string &path) {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net;
}

} // namespace

extern "C" {

void vf_set_opencv_threads(int threads) { cv::setNumThreads(threads); }

vf_status vf_engine_create(const vf_engine_options *options, vf_engine **out, vf_message *error) {
    if (!options || !options->models_dir || !out) return VF_ERR_ARGUMENT;
    *out = nullptr;
    auto engine = std::make_unique<vf_engine>();
    engine->modelsDir = options->models_dir;
    const std::string &dir = engine->modelsDir;
    std::string path;

    vf_status status = guarded(error, [&]() -> vf_status {
        if (!requireModel(dir, "yunet.onnx", path, error)) return VF_ERR_MODEL;
        engine->yunet = loadOnnx(path);
        engine->yunetModel = readFile(path);
        engine->yunetRefine = loadOnnx(path);
        if (!requireModel(dir, "sface.onnx", path, error)) return VF_ERR_MODEL;
        engine->sface = cv::FaceRecognizerSF::create(path, "");

        if (options->load_dlib) {
            if (!requireModel(dir, "shape_predictor_5_face_landmarks.dat", path, error)) return VF_ERR_MODEL;
            dlib::deserialize(path) >> engine->shape5;
            if (!requireModel(dir, "dlib_face_recognition_resnet_model_v1.dat", path, error)) return VF_ERR_MODEL;
            dlib::deserialize(path) >> engine->resnet;
            engine->hog = dlib::get_frontal_face_detector();
            engine->hasDlib = true;
        }
        if (options->load_landmarks68) {
            if (!requireModel(dir, "shape_predictor_68_face_landmarks.dat", path, error)) return VF_ERR_MODEL;
            dlib::deserialize(path) >> engine->shape68;
            engine->hasLandmarks68 = true;
        }
        if (options->load_mesh) {
            if (!requireModel(dir, "face_mesh.onnx", path, error)) return VF_ERR_MODEL;
            engine->mesh = loadOnnx(path);
            if (!requireModel(dir, "iris_landmark.onnx", path, error)) return VF_ERR_MODEL;
            engine->iris = loadOnnx(path);
            engine->hasMesh = true;
        }
        if (options->load_attributes) {
            // Age and gender chips are cut with dlib's 5-point alignment.
            if (!engine->hasDlib) { setMessage(error, "attributes need the dlib models"); return VF_ERR_ARGUMENT; }
            if (!requireModel(dir, "age.onnx", path, error)) return VF_ERR_MODEL;
            engine->age = loadOnnx(path);
            if (!requireModel(dir, "gender.onnx", path, error)) return VF_ERR_MODEL;
            engine->gender = loadOnnx(path);
            engine->hasAttributes = true;
        }
        return VF_OK;
    });
    if (status == VF_OK) *out = engine.release();
    else if (status == VF_ERR_ENGINE) {
        // A model that exists but does not load is a model problem, not an engine crash.
        std::string reason = error ? error->text : "";
        setMessage(error, "model failed to load: " + path + ": " + reason);
        status = VF_ERR_MODEL;
    }
    return status;
}

void vf_engine_free(vf_engine *engine) { delete engine; }

} // extern "C"
