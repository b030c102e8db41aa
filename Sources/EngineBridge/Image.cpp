// Image decoding: OpenCV for JPEG/PNG/BMP/WebP (it applies EXIF orientation itself),
// giflib for GIF, which OpenCV 4.6 cannot read.
#include "EngineInternal.hpp"

#include <gif_lib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>

using veriface::guarded;
using veriface::setMessage;

namespace {

struct MemoryReader {
    const uint8_t *bytes;
    size_t length;
    size_t offset;
};

int readGifBytes(GifFileType *gif, GifByteType *into, int wanted) {
    auto *reader = static_cast<MemoryReader *>(gif->UserData);
    size_t available = reader->length - reader->offset;
    size_t count = std::min(static_cast<size_t>(std::max(wanted, 0)), available);
    std::memcpy(into, reader->bytes + reader->offset, count);
    reader->offset += count;
    return static_cast<int>(count);
}

/// The first frame of a GIF, drawn on white where it is transparent or does not cover
/// the logical screen.
vf_status decodeGif(const uint8_t *bytes, size_t length, int64_t maxPixels, cv::Mat &out,
                    vf_message *error) {
    MemoryReader reader{bytes, length, 0};
    int status = 0;
    GifFileType *gif = DGifOpen(&reader, readGifBytes, &status);
    if (!gif) {
        setMessage(error, std::string("GIF: ") + GifErrorString(status));
        return VF_ERR_DECODE;
    }
    struct Closer {
        GifFileType *gif;
        ~Closer() { int ignored = 0; DGifCloseFile(gif, &ignored); }
    } closer{gif};

    if (static_cast<int64_t>(gif->SWidth) * gif->SHeight > maxPixels) {
        setMessage(error, "GIF: image has too many pixels");
        return VF_ERR_DECODE;
    }
    // DGifSlurp decodes every frame; only the first one is used, so stop after it.
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    int transparent = -1;
    while (true) {
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) break;
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *extension = nullptr;
            if (DGifGetExtension(gif, &code, &extension) == GIF_ERROR) break;
            while (extension) {
                if (code == GRAPHICS_EXT_FUNC_CODE && extension[0] >= 4 && (extension[1] & 1))
                    transparent = extension[4];
                if (DGifGetExtensionNext(gif, &extension) == GIF_ERROR) { extension = nullptr; }
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) break;
        if (DGifGetImageDesc(gif) == GIF_ERROR) break;
        const GifImageDesc &frame = gif->Image;
        const ColorMapObject *map = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
        if (!map || frame.Width <= 0 || frame.Height <= 0) break;
        std::vector<GifPixelType> indices(static_cast<size_t>(frame.Width) * frame.Height);
        bool ok = true;
        if (frame.Interlace) {
            static const int starts[] = {0, 4, 2, 1}, steps[] = {8, 8, 4, 2};
            for (int pass = 0; pass < 4 && ok; ++pass)
                for (int row = starts[pass]; row < frame.Height && ok; row += steps[pass])
                    ok = DGifGetLine(gif, &indices[static_cast<size_t>(row) * frame.Width], frame.Width) != GIF_ERROR;
        } else {
            for (int row = 0; row < frame.Height && ok; ++row)
                ok = DGifGetLine(gif, &indices[static_cast<size_t>(row) * frame.Width], frame.Width) != GIF_ERROR;
        }
        if (!ok) break;
        cv::Mat canvas(std::max(gif->SHeight, 1), std::max(gif->SWidth, 1), CV_8UC3, cv::Scalar(255, 255, 255));
        for (int row = 0; row < frame.Height; ++row) {
            int y = frame.Top + row;
            if (y < 0 || y >= canvas.rows) continue;
            for (int col = 0; col < frame.Width; ++col) {
                int x = frame.Left + col;
                if (x < 0 || x >= canvas.cols) continue;
                int index = indices[static_cast<size_t>(row) * frame.Width + col];
                if (index == transparent || index >= map->ColorCount) continue;
                const GifColorType &c = map->Colors[index];
                canvas.at<cv::Vec3b>(y, x) = cv::Vec3b(c.Blue, c.Green, c.Red);
            }
        }
        out = canvas;
        return VF_OK;
    }
    setMessage(error, "GIF: no decodable frame");
    return VF_ERR_DECODE;
}

bool isGif(const uint8_t *bytes, size_t length) {
    return length >= 6 && std::memcmp(bytes, "GIF8", 4) == 0;
}

/// Reads width and height from a PNG, JPEG, BMP or WebP header without decoding pixels,
/// so a small file that claims an enormous canvas is refused before any allocation.
bool headerPixels(const uint8_t *b, size_t n, int64_t &pixels) {
    auto be32 = [&](size_t i) { return (int64_t(b[i]) << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]; };
    auto le32 = [&](size_t i) { return int64_t(b[i]) | (b[i + 1] << 8) | (b[i + 2] << 16) | (int64_t(b[i + 3]) << 24); };
    if (n >= 24 && std::memcmp(b, "\x89PNG", 4) == 0) { pixels = be32(16) * be32(20); return true; }
    if (n >= 26 && b[0] == 'B' && b[1] == 'M') { pixels = std::abs(le32(18) * le32(22)); return true; }
    if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8) {
        for (size_t i = 2; i + 9 < n;) {
            if (b[i] != 0xFF) { ++i; continue; }
            uint8_t marker = b[i + 1];
            if (marker == 0xFF) { ++i; continue; }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                pixels = int64_t((b[i + 5] << 8) | b[i + 6]) * ((b[i + 7] << 8) | b[i + 8]);
                return true;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
            i += 2 + ((b[i + 2] << 8) | b[i + 3]);
        }
    }
    return false;
}

} // namespace

extern "C" {

vf_status vf_image_decode(const uint8_t *bytes, size_t length, int64_t maxPixels,
                          vf_image **out, vf_message *error) {
    if (!bytes || !out) return VF_ERR_ARGUMENT;
    *out = nullptr;
    return guarded(error, [&]() -> vf_status {
        if (length == 0) { setMessage(error, "empty image"); return VF_ERR_DECODE; }
        cv::Mat bgr;
        if (isGif(bytes, length)) {
            vf_status status = decodeGif(bytes, length, maxPixels, bgr, error);
            if (status != VF_OK) return status;
        } else {
            int64_t pixels = 0;
            if (headerPixels(bytes, length, pixels) && (pixels <= 0 || pixels > maxPixels)) {
                setMessage(error, "image dimensions are invalid or too large");
                return VF_ERR_DECODE;
            }
            cv::Mat raw(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t *>(bytes));
            bgr = cv::imdecode(raw, cv::IMREAD_COLOR);
            if (bgr.empty()) { setMessage(error, "not a decodable JPEG, PNG, BMP, WebP or GIF image"); return VF_ERR_DECODE; }
        }
        if (static_cast<int64_t>(bgr.cols) * bgr.rows > maxPixels) {
            setMessage(error, "image has too many pixels");
            return VF_ERR_DECODE;
        }
        *out = new vf_image{bgr.isContinuous() ? bgr : bgr.clone()};
        return VF_OK;
    });
}

vf_status vf_image_from_bgr(const uint8_t *pixels, int width, int height, int stride,
                            vf_image **out) {
    if (!pixels || !out || width <= 0 || height <= 0 || stride < width * 3) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        cv::Mat view(height, width, CV_8UC3, const_cast<uint8_t *>(pixels), static_cast<size_t>(stride));
        *out = new vf_image{view.clone()};
        return VF_OK;
    });
}

vf_status vf_image_resized(const vf_image *image, int width, int height, vf_image **out) {
    if (!image || !out || width <= 0 || height <= 0) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        cv::Mat resized;
        cv::resize(image->bgr, resized, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        *out = new vf_image{resized};
        return VF_OK;
    });
}

vf_status vf_image_rotated(const vf_image *image, int quarterTurns, vf_image **out) {
    if (!image || !out) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        cv::Mat turned;
        switch (((quarterTurns % 4) + 4) % 4) {
        case 1: cv::rotate(image->bgr, turned, cv::ROTATE_90_CLOCKWISE); break;
        case 2: cv::rotate(image->bgr, turned, cv::ROTATE_180); break;
        case 3: cv::rotate(image->bgr, turned, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: turned = image->bgr.clone();
        }
        *out = new vf_image{turned};
        return VF_OK;
    });
}

vf_status vf_image_encode_jpeg(const vf_image *image, int quality, uint8_t **bytes, size_t *length) {
    if (!image || !bytes || !length) return VF_ERR_ARGUMENT;
    return guarded(nullptr, [&]() -> vf_status {
        std::vector<uint8_t> buffer;
        cv::imencode(".jpg", image->bgr, buffer, {cv::IMWRITE_JPEG_QUALITY, quality});
        *bytes = static_cast<uint8_t *>(std::malloc(buffer.size()));
        if (!*bytes) return VF_ERR_ENGINE;
        std::memcpy(*bytes, buffer.data(), buffer.size());
        *length = buffer.size();
        return VF_OK;
    });
}

void vf_bytes_free(uint8_t *bytes) { std::free(bytes); }

void vf_image_free(vf_image *image) { delete image; }
int vf_image_width(const vf_image *image) { return image ? image->bgr.cols : 0; }
int vf_image_height(const vf_image *image) { return image ? image->bgr.rows : 0; }

} // extern "C"
