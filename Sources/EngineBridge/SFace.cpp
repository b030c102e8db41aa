// SFace embeddings through OpenCV's FaceRecognizerSF, which aligns the 112x112 crop
// from the five key points with the template the model was trained on.
#include "EngineInternal.hpp"

using veriface::guarded;

extern "C" vf_status vf_embed_sface(vf_engine *engine, const vf_image *image, const vf_detection *box,
                                    float *out128, vf_message *error) {
    if (!engine || !image || !box || !out128) return VF_ERR_ARGUMENT;
    return guarded(error, [&]() -> vf_status {
        // FaceRecognizerSF reads a YuNet row: x, y, w, h, 5 (x, y) points, score.
        cv::Mat row(1, 15, CV_32F);
        float *r = row.ptr<float>();
        r[0] = box->x; r[1] = box->y; r[2] = box->width; r[3] = box->height;
        for (int k = 0; k < 10; ++k) r[4 + k] = box->landmarks[k];
        r[14] = box->score;
        cv::Mat aligned, feature;
        engine->sface->alignCrop(image->bgr, row, aligned);
        engine->sface->feature(aligned, feature);
        const float *f = feature.ptr<float>();
        for (int i = 0; i < 128; ++i) out128[i] = f[i];
        return VF_OK;
    });
}
