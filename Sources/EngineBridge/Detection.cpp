// Face detection: YuNet (OpenCV DNN) by default, dlib's HOG detector as the fallback.
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

using veriface::guarded;
using veriface::setMessage;

namespace {

// YuNet runs on the image scaled so that its longer side is at most 640 px (never
// enlarged), padded right and bottom to a multiple of 32 as its strides require.
constexpr int kYuNetMaxSide = 640;
// Coarse to fine: a first pass with the longer side at 320 px finds the faces and a second
// pass on a 192x192 crop around the largest (face at about 96 px) gives it precise key
// points: under half the pixels of one full pass. The coarse pass pads the shorter side to
// a multiple of 64 only (320x256 for 4:3, 320x192 for 16:9), so that a camera frame is not
// padded to a square and there are at most nine coarse input sizes.
constexpr int kCoarseSide = 320;
constexpr int kCoarseShortStep = 64;
constexpr int kRefineSide = 192;
// Faces under this many pixels in the coarse image may be missed there; when the smallest
// face asked for is that small, an empty coarse pass is checked by a full one.
constexpr float kCoarseSmallestFace = 16.f;
// A largest face at least this many pixels across in the coarse pass already has precise
// key points there (the refine pass would only look at it at a lower resolution).
constexpr float kCoarsePreciseFace = 80.f;
constexpr int kYuNetStride = 32;
constexpr float kNmsThreshold = 0.3f;
const std::vector<cv::String> kYuNetOutputs = {
    "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32",
    "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32"};

int roundUp(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

/// What YuNet sees of an image: the image scaled by `scale`, padded right and bottom with
/// black to `width` x `height` (multiples of 32, as its strides require).
struct YuNetInput {
    float scale;
    int width, height;
};

/// The whole image at up to kYuNetMaxSide, never enlarged.
YuNetInput fullInput(const cv::Mat &bgr) {
    const float scale = std::min(1.f, static_cast<float>(kYuNetMaxSide) / std::max(bgr.cols, bgr.rows));
    return {scale, roundUp(std::max(1, int(std::lround(bgr.cols * scale))), kYuNetStride),
            roundUp(std::max(1, int(std::lround(bgr.rows * scale))), kYuNetStride)};
}

/// The longer side at kCoarseSide, the shorter padded to a multiple of kCoarseShortStep.
YuNetInput coarseInput(const cv::Mat &bgr) {
    const float scale = static_cast<float>(kCoarseSide) / std::max(bgr.cols, bgr.rows);
    auto padded = [&](int length) {
        return std::min(kCoarseSide, roundUp(std::max(1, int(std::lround(length * scale))), kCoarseShortStep));
    };
    return {scale, padded(bgr.cols), padded(bgr.rows)};
}

/// Scaled to fit a `side` x `side` square, enlarged if need be.
YuNetInput squareInput(const cv::Mat &bgr, int side) {
    return {static_cast<float>(side) / std::max(bgr.cols, bgr.rows), side, side};
}

std::vector<vf_detection> detectYuNet(cv::dnn::Net &net, const cv::Mat &bgr, float minScore, const YuNetInput &input) {
    const float scale = input.scale;
    const int width = input.width, height = input.height;
    cv::Mat resized = bgr;
    if (scale != 1.f)
        cv::resize(bgr, resized, cv::Size(std::clamp(int(std::lround(bgr.cols * scale)), 1, width),
                                          std::clamp(int(std::lround(bgr.rows * scale)), 1, height)),
                   0, 0, scale < 1.f ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat canvas;
    cv::copyMakeBorder(resized, canvas, 0, height - resized.rows, 0, width - resized.cols, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));

    cv::Mat blob = cv::dnn::blobFromImage(canvas); // BGR, 0-255, as YuNet was trained
    net.setInput(blob);
    std::vector<cv::Mat> outputs;
    net.forward(outputs, kYuNetOutputs);

    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    std::vector<vf_detection> candidates;
    const int strides[] = {8, 16, 32};
    for (int level = 0; level < 3; ++level) {
        const int stride = strides[level];
        const int cols = width / stride, rows = height / stride;
        const float *cls = outputs[level].ptr<float>();
        const float *obj = outputs[3 + level].ptr<float>();
        const float *bbox = outputs[6 + level].ptr<float>();
        const float *kps = outputs[9 + level].ptr<float>();
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                const int i = r * cols + c;
                float score = std::sqrt(std::clamp(cls[i], 0.f, 1.f) * std::clamp(obj[i], 0.f, 1.f));
                if (score < minScore) continue;
                float cx = (c + bbox[i * 4 + 0]) * stride, cy = (r + bbox[i * 4 + 1]) * stride;
                float w = std::exp(bbox[i * 4 + 2]) * stride, h = std::exp(bbox[i * 4 + 3]) * stride;
                vf_detection face{};
                face.x = (cx - w / 2) / scale;
                face.y = (cy - h / 2) / scale;
                face.width = w / scale;
                face.height = h / scale;
                face.score = score;
                for (int k = 0; k < 5; ++k) {
                    face.landmarks[2 * k] = (kps[i * 10 + 2 * k] + c) * stride / scale;
                    face.landmarks[2 * k + 1] = (kps[i * 10 + 2 * k + 1] + r) * stride / scale;
                }
                boxes.emplace_back(face.x, face.y, face.width, face.height);
                scores.push_back(score);
                candidates.push_back(face);
            }
        }
    }
    std::vector<int> kept;
    cv::dnn::NMSBoxes(boxes, scores, minScore, kNmsThreshold, kept);
    std::vector<vf_detection> faces;
    for (int index : kept) faces.push_back(candidates[index]);
    return faces;
}

float area(const vf_detection &f) { return f.width * f.height; }

float iou(const vf_detection &a, const vf_detection &b) {
    const cv::Rect2f ra = veriface::boxOf(a), rb = veriface::boxOf(b);
    const float overlap = (ra & rb).area();
    return overlap / std::max(ra.area() + rb.area() - overlap, 1e-6f);
}

/// This engine's coarse network for `input`'s size.
cv::dnn::Net &coarseNetwork(vf_engine &engine, const YuNetInput &input) {
    auto [slot, made] = engine.yunetCoarse.try_emplace({input.width, input.height});
    if (made) {
        slot->second = cv::dnn::readNetFromONNX(reinterpret_cast<const char *>(engine.yunetModel.data()),
                                                engine.yunetModel.size());
        slot->second.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        slot->second.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    }
    return slot->second;
}

/// Every face of the coarse pass, the largest refined (see kCoarseSide).
std::vector<vf_detection> detectCoarseToFine(vf_engine &engine, const cv::Mat &bgr, float minScore, int minFaceSize) {
    const int longest = std::max(bgr.cols, bgr.rows);
    if (longest <= kCoarseSide) return detectYuNet(engine.yunet, bgr, minScore, fullInput(bgr));
    const YuNetInput input = coarseInput(bgr);
    std::vector<vf_detection> coarse = detectYuNet(coarseNetwork(engine, input), bgr, minScore, input);
    coarse.erase(std::remove_if(coarse.begin(), coarse.end(), [&](const vf_detection &f) {
        return std::min(f.width, f.height) < static_cast<float>(minFaceSize);
    }), coarse.end());
    if (coarse.empty()) {
        const float smallestInCoarse = static_cast<float>(minFaceSize) * kCoarseSide / longest;
        return smallestInCoarse < kCoarseSmallestFace ? detectYuNet(engine.yunet, bgr, minScore, fullInput(bgr)) : coarse;
    }
    auto largestAt = std::max_element(coarse.begin(), coarse.end(),
        [](const vf_detection &a, const vf_detection &b) { return area(a) < area(b); });
    const vf_detection largest = *largestAt;
    if (std::min(largest.width, largest.height) * kCoarseSide / longest >= kCoarsePreciseFace) return coarse;

    const float side = 2.f * std::max(largest.width, largest.height);
    const cv::Rect crop = cv::Rect(int(largest.x + largest.width / 2 - side / 2), int(largest.y + largest.height / 2 - side / 2),
                                   int(side), int(side)) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (crop.width < 32 || crop.height < 32) return coarse;
    std::vector<vf_detection> fine = detectYuNet(engine.yunetRefine, bgr(crop), minScore, squareInput(bgr(crop), kRefineSide));
    float bestOverlap = 0.3f;
    for (vf_detection f : fine) {
        f.x += crop.x;
        f.y += crop.y;
        for (int k = 0; k < 5; ++k) { f.landmarks[2 * k] += crop.x; f.landmarks[2 * k + 1] += crop.y; }
        if (float overlap = iou(f, largest); overlap > bestOverlap) { *largestAt = f; bestOverlap = overlap; }
    }
    return coarse;
}

/// dlib's 5 points are eye corners and the base of the nose; mouth corners are placed
/// where they sit on an average face relative to those, which is enough for alignment.
vf_detection fromDlibShape(const dlib::rectangle &rect, const dlib::full_object_detection &shape, float score) {
    vf_detection face{};
    face.x = rect.left();
    face.y = rect.top();
    face.width = rect.width();
    face.height = rect.height();
    face.score = score;
    auto point = [&](int i) { return cv::Point2f(shape.part(i).x(), shape.part(i).y()); };
    cv::Point2f leftEye = (point(0) + point(1)) * 0.5f;  // subject's left
    cv::Point2f rightEye = (point(2) + point(3)) * 0.5f; // subject's right
    cv::Point2f nose = point(4);
    cv::Point2f eyeMid = (leftEye + rightEye) * 0.5f;
    cv::Point2f down = nose - eyeMid;
    cv::Point2f across = (leftEye - rightEye) * 0.5f;
    cv::Point2f mouthMid = nose + down * 0.55f;
    cv::Point2f rightMouth = mouthMid - across * 0.8f;
    cv::Point2f leftMouth = mouthMid + across * 0.8f;
    const cv::Point2f points[5] = {rightEye, leftEye, nose, rightMouth, leftMouth};
    for (int k = 0; k < 5; ++k) {
        face.landmarks[2 * k] = points[k].x;
        face.landmarks[2 * k + 1] = points[k].y;
    }
    return face;
}

std::vector<vf_detection> detectHog(vf_engine &engine, const cv::Mat &bgr, float minScore) {
    dlib::cv_image<dlib::bgr_pixel> view(bgr);
    std::vector<dlib::rect_detection> found;
    engine.hog(view, found, 0.0);
    std::vector<vf_detection> faces;
    for (const auto &detection : found) {
        // HOG confidences are SVM margins (dlib accepts >= 0); squash them to 0-1 so that
        // dlib's own threshold lands on the service's default of 0.88.
        float score = 1.f / (1.f + std::exp(-(2.f * static_cast<float>(detection.detection_confidence) + 2.f)));
        if (score < minScore) continue;
        auto shape = engine.shape5(view, detection.rect);
        faces.push_back(fromDlibShape(detection.rect, shape, score));
    }
    return faces;
}

} // namespace

extern "C" vf_status vf_detect(vf_engine *engine, const vf_image *image, vf_detector detector,
                               float minScore, int minFaceSize, int coarseToFine, vf_detection *out, int capacity,
                               int *count, vf_message *error) {
    if (!engine || !image || !out || !count || capacity < 0) return VF_ERR_ARGUMENT;
    *count = 0;
    if (detector == VF_DETECTOR_HOG && !engine->hasDlib) {
        setMessage(error, "the dlib models are not loaded");
        return VF_ERR_UNAVAILABLE;
    }
    return guarded(error, [&]() -> vf_status {
        std::vector<vf_detection> faces = detector == VF_DETECTOR_HOG
            ? detectHog(*engine, image->bgr, minScore)
            : coarseToFine ? detectCoarseToFine(*engine, image->bgr, minScore, minFaceSize)
                          : detectYuNet(engine->yunet, image->bgr, minScore, fullInput(image->bgr));
        faces.erase(std::remove_if(faces.begin(), faces.end(), [&](const vf_detection &f) {
            return std::min(f.width, f.height) < static_cast<float>(minFaceSize);
        }), faces.end());
        std::stable_sort(faces.begin(), faces.end(), [](const vf_detection &a, const vf_detection &b) {
            return a.width * a.height > b.width * b.height;
        });
        int n = std::min(static_cast<int>(faces.size()), capacity);
        std::copy(faces.begin(), faces.begin() + n, out);
        *count = n;
        return VF_OK;
    });
}
