// Texture and spectrum of a face crop: what a print or a screen changes in a photo of a
// face (the static liveness classifier is trained on these numbers).
#include "EngineInternal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using veriface::guarded;

namespace {

constexpr int kTextureSide = 64;
constexpr int kSpectrumSide = 96;
constexpr int kUniformBins = 59;

/// Maps each 8-bit LBP code to its uniform pattern bin (58 uniform codes, one bin for the rest).
std::array<uint8_t, 256> uniformBins() {
    std::array<uint8_t, 256> bins{};
    int next = 0;
    for (int code = 0; code < 256; ++code) {
        int transitions = 0;
        for (int bit = 0; bit < 8; ++bit) {
            transitions += ((code >> bit) & 1) != ((code >> ((bit + 1) % 8)) & 1);
        }
        bins[code] = transitions <= 2 ? uint8_t(next++) : uint8_t(kUniformBins - 1);
    }
    return bins;
}

/// Normalised histogram of uniform LBP(8, 1) codes of one 8-bit channel.
void lbpHistogram(const cv::Mat &channel, float *out) {
    static const std::array<uint8_t, 256> bins = uniformBins();
    std::fill(out, out + kUniformBins, 0.f);
    static const int dy[8] = {-1, -1, -1, 0, 1, 1, 1, 0};
    static const int dx[8] = {-1, 0, 1, 1, 1, 0, -1, -1};
    int count = 0;
    for (int y = 1; y < channel.rows - 1; ++y) {
        for (int x = 1; x < channel.cols - 1; ++x) {
            const uint8_t centre = channel.at<uint8_t>(y, x);
            int code = 0;
            for (int k = 0; k < 8; ++k) code |= (channel.at<uint8_t>(y + dy[k], x + dx[k]) >= centre) << k;
            out[bins[code]] += 1;
            ++count;
        }
    }
    for (int k = 0; k < kUniformBins; ++k) out[k] /= std::max(count, 1);
}

/// Two numbers from the windowed power spectrum of the grey centre of the face: the share
/// of energy in the upper half of the frequencies (prints and screens lose it, or add a
/// grid's), and how far the strongest mid-to-high frequency stands above the median of its
/// ring (the peak of a moiré pattern; a face's spectrum falls off smoothly).
void spectrum(const cv::Mat &grey, float *out2) {
    // At the photo's own pixels: shrinking a big face would average a screen's grid away.
    cv::Mat square;
    if (grey.cols >= kSpectrumSide && grey.rows >= kSpectrumSide) {
        square = grey(cv::Rect((grey.cols - kSpectrumSide) / 2, (grey.rows - kSpectrumSide) / 2, kSpectrumSide, kSpectrumSide));
    } else {
        cv::resize(grey, square, cv::Size(kSpectrumSide, kSpectrumSide), 0, 0, cv::INTER_LINEAR);
    }
    cv::Mat input, window;
    square.convertTo(input, CV_32F, 1.0 / 255);
    input -= cv::mean(input)[0];
    cv::createHanningWindow(window, input.size(), CV_32F);
    input = input.mul(window);
    cv::Mat complex;
    cv::dft(input, complex, cv::DFT_COMPLEX_OUTPUT);
    std::vector<cv::Mat> planes;
    cv::split(complex, planes);
    cv::Mat power;
    cv::magnitude(planes[0], planes[1], power);
    power = power.mul(power);

    const int half = kSpectrumSide / 2;
    std::vector<std::vector<float>> rings(half + 1);
    double total = 0, high = 0;
    for (int v = 0; v < kSpectrumSide; ++v) {
        for (int u = 0; u < kSpectrumSide; ++u) {
            const int fu = u <= half ? u : u - kSpectrumSide, fv = v <= half ? v : v - kSpectrumSide;
            const int radius = int(std::lround(std::sqrt(double(fu * fu + fv * fv))));
            if (radius == 0 || radius > half) continue;
            const float p = power.at<float>(v, u);
            total += p;
            if (radius > half / 2) high += p;
            // JPEG and video codecs work in 8-pixel blocks: their grid's harmonics are no moire.
            const bool blockGrid = fu % (kSpectrumSide / 8) == 0 && fv % (kSpectrumSide / 8) == 0;
            if (!blockGrid) rings[radius].push_back(std::log(p + 1e-9f));
        }
    }
    out2[0] = total > 0 ? float(high / total) : 0.f;
    float peak = 0;
    for (int radius = half / 4; radius <= half; ++radius) {
        std::vector<float> &ring = rings[radius];
        if (ring.size() < 8) continue;
        std::vector<float> sorted = ring;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        const float median = sorted[sorted.size() / 2];
        peak = std::max(peak, *std::max_element(ring.begin(), ring.end()) - median);
    }
    out2[1] = peak;
}

} // namespace

extern "C" int vf_face_texture_count(void) { return 6 * kUniformBins + 2; }

extern "C" vf_status vf_face_texture(const vf_image *image, const vf_detection *box, float *out, int count) {
    if (!image || !box || !out || count != vf_face_texture_count() || box->width <= 0 || box->height <= 0) {
        return VF_ERR_ARGUMENT;
    }
    return guarded(nullptr, [&]() -> vf_status {
        const cv::Mat &bgr = image->bgr;
        const cv::Rect face = cv::Rect(veriface::boxOf(*box)) & cv::Rect(0, 0, bgr.cols, bgr.rows);
        if (face.width < 8 || face.height < 8) return VF_ERR_ARGUMENT;
        const cv::Mat crop = bgr(face);
        cv::Mat small;
        cv::resize(crop, small, cv::Size(kTextureSide, kTextureSide), 0, 0,
                   crop.cols > kTextureSide ? cv::INTER_AREA : cv::INTER_LINEAR);
        // Colour texture: prints and screens change chroma and its fine grain more than luma.
        cv::Mat ycrcb, hsv;
        cv::cvtColor(small, ycrcb, cv::COLOR_BGR2YCrCb);
        cv::cvtColor(small, hsv, cv::COLOR_BGR2HSV);
        std::vector<cv::Mat> channels;
        cv::split(ycrcb, channels);
        std::vector<cv::Mat> hsvChannels;
        cv::split(hsv, hsvChannels);
        channels.insert(channels.end(), hsvChannels.begin(), hsvChannels.end());
        for (size_t c = 0; c < channels.size(); ++c) lbpHistogram(channels[c], out + c * kUniformBins);

        // The spectrum of the middle of the face at the photo's own scale (no hair or background).
        const cv::Rect centre = cv::Rect(face.x + face.width / 5, face.y + face.height / 5,
                                         face.width * 3 / 5, face.height * 3 / 5);
        cv::Mat grey;
        cv::cvtColor(bgr(centre), grey, cv::COLOR_BGR2GRAY);
        spectrum(grey, out + 6 * kUniformBins);
        return VF_OK;
    });
}
