// dlib's models: 5- and 68-point shapes, the ResNet descriptor, and the chips that the
// age and gender networks (trained on dlib's alignment) expect.
#include "EngineInternal.hpp"

#include <dlib/opencv.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

using veriface::guarded;
using veriface::setMessage;

namespace veriface {

dlib::rectangle dlibRectangle(const vf_detection &face) {
    // YuNet's box runs from the forehead to the chin; dlib's detector (which the shape
    // predictors were trained on) frames a square from the brows to the chin. Measured on
    // 100 photos of masks/without_mask and the face-api.js group photos (not LFW): dlib's
    // box is centred 6.4% of the height lower and its side is 0.945 x the mean of YuNet's
    // width and height.
    const float side = (face.width + face.height) * 0.5f * 0.945f;
    const float cx = face.x + face.width * 0.5f;
    const float cy = face.y + face.height * 0.5f + face.height * 0.064f;
    return dlib::rectangle(std::lround(cx - side / 2), std::lround(cy - side / 2),
                           std::lround(cx + side / 2), std::lround(cy + side / 2));
}

dlib::full_object_detection dlibShape5(vf_engine &engine, const cv::Mat &bgr, const vf_detection &face) {
    dlib::cv_image<dlib::bgr_pixel> view(bgr);
    return engine.shape5(view, dlibRectangle(face));
}

} // namespace veriface

namespace {

using namespace veriface;

/// A face located by dlib's 5-point shape, ready to cut aligned chips from.
///
/// dlib fills whatever lies outside the photo with black; when the face's surroundings
/// leave the picture (tight crops), chips are cut from a copy with replicated borders.
struct DlibFace {
    cv::Mat bgr;
    dlib::full_object_detection shape;

    DlibFace(vf_engine &engine, const cv::Mat &image, const vf_detection &detected) : bgr(image) {
        vf_detection face = detected;
        const int margin = static_cast<int>(std::max(face.width, face.height) * 0.6f);
        const cv::Rect needed(int(face.x) - margin, int(face.y) - margin, int(face.width) + 2 * margin, int(face.height) + 2 * margin);
        if ((needed & cv::Rect(0, 0, image.cols, image.rows)) != needed) {
            cv::copyMakeBorder(image, bgr, margin, margin, margin, margin, cv::BORDER_REPLICATE);
            face.x += margin;
            face.y += margin;
            for (int k = 0; k < 5; ++k) { face.landmarks[2 * k] += margin; face.landmarks[2 * k + 1] += margin; }
        }
        shape = dlibShape5(engine, bgr, face);
    }

    /// An aligned RGB chip of `size` pixels with dlib's framing and `padding`.
    dlib::matrix<dlib::rgb_pixel> chip(unsigned long size, double padding) const {
        dlib::cv_image<dlib::bgr_pixel> view(bgr);
        dlib::matrix<dlib::rgb_pixel> out;
        dlib::extract_image_chip(view, dlib::get_face_chip_details(shape, size, padding), out);
        return out;
    }
};

/// (RGB - channel mean) / 256 in NCHW, the input both attribute networks were exported with.
cv::Mat attributeBlob(const dlib::matrix<dlib::rgb_pixel> &chip) {
    static const float means[3] = {122.781998f, 117.000999f, 104.297997f};
    const int side = static_cast<int>(chip.nr());
    int shape[4] = {1, 3, side, side};
    cv::Mat blob(4, shape, CV_32F);
    float *data = blob.ptr<float>();
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) {
            const dlib::rgb_pixel &p = chip(r, c);
            const float rgb[3] = {float(p.red), float(p.green), float(p.blue)};
            for (int ch = 0; ch < 3; ++ch)
                data[(ch * side + r) * side + c] = (rgb[ch] - means[ch]) / 256.f;
        }
    return blob;
}

} // namespace

extern "C" {

vf_status vf_embed_dlib(vf_engine *engine, const vf_image *image, const vf_detection *box,
                        float *out128, vf_message *error) {
    if (!engine || !image || !box || !out128) return VF_ERR_ARGUMENT;
    if (!engine->hasDlib) { setMessage(error, "the dlib models are not loaded"); return VF_ERR_UNAVAILABLE; }
    return guarded(error, [&]() -> vf_status {
        auto chip = DlibFace(*engine, image->bgr, *box).chip(150, 0.25);
        dlib::matrix<float, 0, 1> descriptor = engine->resnet(chip);
        for (long i = 0; i < 128; ++i) out128[i] = descriptor(i);
        return VF_OK;
    });
}

vf_status vf_landmarks68(vf_engine *engine, const vf_image *image, const vf_detection *box,
                         float *out136, vf_message *error) {
    if (!engine || !image || !box || !out136) return VF_ERR_ARGUMENT;
    if (!engine->hasLandmarks68) { setMessage(error, "the 68-point model is not enabled"); return VF_ERR_UNAVAILABLE; }
    return guarded(error, [&]() -> vf_status {
        dlib::cv_image<dlib::bgr_pixel> view(image->bgr);
        auto shape = engine->shape68(view, dlibRectangle(*box));
        for (unsigned long i = 0; i < 68; ++i) {
            out136[2 * i] = shape.part(i).x();
            out136[2 * i + 1] = shape.part(i).y();
        }
        return VF_OK;
    });
}

vf_status vf_age_gender(vf_engine *engine, const vf_image *image, const vf_detection *box,
                        float *age, float *maleProbability, vf_message *error) {
    if (!engine || !image || !box || !age || !maleProbability) return VF_ERR_ARGUMENT;
    if (!engine->hasAttributes) { setMessage(error, "the attribute models are not loaded"); return VF_ERR_UNAVAILABLE; }
    return guarded(error, [&]() -> vf_status {
        const DlibFace face(*engine, image->bgr, *box);
        engine->age.setInput(attributeBlob(face.chip(64, 0.2)));
        cv::Mat ages = engine->age.forward();
        // Class 0 stands for infants (0.25 years); class k >= 1 for k years.
        float expected = 0;
        const float *p = ages.ptr<float>();
        for (int k = 0; k < static_cast<int>(ages.total()); ++k) expected += p[k] * (k == 0 ? 0.25f : float(k));
        *age = expected;

        engine->gender.setInput(attributeBlob(face.chip(32, 0.2)));
        cv::Mat gender = engine->gender.forward(); // [female, male]
        *maleProbability = gender.ptr<float>()[1];
        return VF_OK;
    });
}

} // extern "C"
