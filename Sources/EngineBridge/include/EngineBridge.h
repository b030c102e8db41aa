// The plain C interface over Veriface's face engines (OpenCV 4.6 DNN and dlib 19.24).
//
// Everything C++ stays behind this header. Ownership is explicit: every `*_create` /
// `*_decode` has a matching `*_free`, and no pointer returned here refers to memory the
// caller must not free. An engine is NOT thread-safe (dlib networks keep per-call state):
// use one engine per thread. Images are immutable once made and may be shared.
#ifndef VERIFACE_ENGINE_BRIDGE_H
#define VERIFACE_ENGINE_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VF_OK = 0,
    VF_ERR_DECODE = -1,      // the bytes are not an image this engine can decode
    VF_ERR_MODEL = -2,       // a model file is missing or does not load
    VF_ERR_ARGUMENT = -3,    // a caller error: null pointer, empty box, too small capacity
    VF_ERR_ENGINE = -4,      // OpenCV or dlib threw; the message says what
    VF_ERR_UNAVAILABLE = -5, // an optional model was not loaded into this engine
} vf_status;

/// A human-readable reason for the last failure of one call.
typedef struct {
    char text[480];
} vf_message;

// MARK: Images

typedef struct vf_image vf_image;

/// Decodes JPEG, PNG, BMP, WebP (OpenCV) and GIF (giflib, first frame) into 8-bit BGR,
/// honouring the EXIF orientation. Refuses images above `max_pixels`.
vf_status vf_image_decode(const uint8_t *bytes, size_t length, int64_t max_pixels,
                          vf_image **out, vf_message *error);
/// Copies a packed 8-bit BGR buffer (rows `stride` bytes apart).
vf_status vf_image_from_bgr(const uint8_t *pixels, int width, int height, int stride,
                            vf_image **out);
/// A new image scaled to exactly `width` x `height` (area interpolation).
vf_status vf_image_resized(const vf_image *image, int width, int height, vf_image **out);
/// A new image turned clockwise by `quarter_turns` x 90 degrees (negative: anticlockwise).
vf_status vf_image_rotated(const vf_image *image, int quarter_turns, vf_image **out);
/// JPEG bytes of the image; free them with `vf_bytes_free`.
vf_status vf_image_encode_jpeg(const vf_image *image, int quality, uint8_t **bytes,
                               size_t *length);
void vf_bytes_free(uint8_t *bytes);
void vf_image_free(vf_image *image);
int vf_image_width(const vf_image *image);
int vf_image_height(const vf_image *image);

// MARK: Engine

typedef struct vf_engine vf_engine;

typedef struct {
    const char *models_dir;
    int load_dlib;        // HOG detector, 5-point shape predictor, ResNet embedder
    int load_landmarks68; // dlib's 68-point predictor (training data: non-commercial)
    int load_mesh;        // MediaPipe face mesh + iris
    int load_attributes;  // age and gender
} vf_engine_options;

vf_status vf_engine_create(const vf_engine_options *options, vf_engine **out,
                           vf_message *error);
void vf_engine_free(vf_engine *engine);

/// Limits OpenCV's own worker threads (process-wide). Call once before creating engines.
void vf_set_opencv_threads(int threads);

// MARK: Detection

typedef enum {
    VF_DETECTOR_YUNET = 0,
    VF_DETECTOR_HOG = 1,
} vf_detector;

/// One face. `landmarks` are five (x, y) points in YuNet's order: right eye, left eye,
/// nose tip, right mouth corner, left mouth corner ("right" = the subject's right).
typedef struct {
    float x, y, width, height;
    float score;
    float landmarks[10];
} vf_detection;

/// Writes at most `capacity` faces, largest first, into `out`; `count` is how many. With
/// `coarse_to_fine`, YuNet finds the faces at 320 px and then refines the largest one on a
/// crop around it, which costs under half of one full pass; the other faces keep their
/// coarse boxes and key points.
vf_status vf_detect(vf_engine *engine, const vf_image *image, vf_detector detector,
                    float min_score, int min_face_size, int coarse_to_fine, vf_detection *out, int capacity,
                    int *count, vf_message *error);

// MARK: Landmarks

/// dlib's 68 points (136 floats) for the face in `box`.
vf_status vf_landmarks68(vf_engine *engine, const vf_image *image, const vf_detection *box,
                         float *out136, vf_message *error);

/// Where the mesh model looks: a square `extent` pixels wide around (`cx`, `cy`), turned by
/// `angle` radians so that the eyes are level.
typedef struct {
    float cx, cy, extent, angle;
} vf_mesh_region;

/// MediaPipe mesh: 468 points plus 10 iris points (478 x (x, y, z) = 1434 floats) in image
/// pixels; z is relative depth in the same scale. `presence` is the model's face score.
/// `eyelids64` receives the iris model's eyelid contours, 16 (x, y) points per eye (subject's
/// right eye first): the lower lid from the outer corner to the inner one (0-8), then the
/// upper lid from the outer side to the inner side, corners excluded (9-15).
/// The face is found from `box` (two runs: the second on the region of the first mesh), or,
/// when `track` is given, in that region alone (one run; `box` may be NULL): the region of
/// the previous frame's mesh, as MediaPipe tracks a face. `next` (optional) receives the
/// region of this mesh, for the next frame.
vf_status vf_face_mesh(vf_engine *engine, const vf_image *image, const vf_detection *box,
                       const vf_mesh_region *track, float *out1434, float *eyelids64, float *presence,
                       vf_mesh_region *next, vf_message *error);

// MARK: Embeddings

/// SFace 128-d feature from the 5-point aligned 112x112 crop (not normalised).
vf_status vf_embed_sface(vf_engine *engine, const vf_image *image, const vf_detection *box,
                         float *out128, vf_message *error);
/// dlib ResNet 128-d descriptor from dlib's own 5-point alignment of the face in `box`.
vf_status vf_embed_dlib(vf_engine *engine, const vf_image *image, const vf_detection *box,
                        float *out128, vf_message *error);

// MARK: Attributes and quality

/// Expected age in years and the probability that the face is male.
vf_status vf_age_gender(vf_engine *engine, const vf_image *image, const vf_detection *box,
                        float *age, float *male_probability, vf_message *error);

typedef struct {
    float sharpness;    // variance of the Laplacian of the face resized to 112 px wide
    float brightness;   // mean luminance 0-255 of the face box
    float contrast;     // standard deviation of that luminance
    float completeness; // share of the face box (with a margin) inside the image, 0-1
} vf_face_signals;

vf_status vf_face_signals_measure(const vf_image *image, const vf_detection *box,
                                  vf_face_signals *out);

/// Mean B, G, R (0-255) of the skin in the middle of the face `box` (out6[0..2]) and of the
/// background outside the box grown by half (out6[3..5]; zeros when nothing is left), for
/// the colour-flash check: the screen's light reaches the near face, hardly the room.
vf_status vf_light_means(const vf_image *image, const vf_detection *box, float *out6);

/// Numbers describing the texture of the face in `box`, for the static liveness classifier:
/// uniform LBP(8,1) histograms of the face at 64x64 in each channel of YCrCb and HSV (6 x 59),
/// then the share of high frequencies and the strongest moire-like peak of the spectrum of
/// its centre. `count` must be vf_face_texture_count(); faces under 8 px give VF_ERR_ARGUMENT.
int vf_face_texture_count(void);
vf_status vf_face_texture(const vf_image *image, const vf_detection *box, float *out, int count);

// MARK: Video

typedef struct vf_video vf_video;

/// Opens a video file for reading frame by frame (OpenCV over FFmpeg: MP4, WebM, MKV, AVI...).
vf_status vf_video_open(const char *path, vf_video **out, vf_message *error);
void vf_video_free(vf_video *video);
/// Frames per second the container declares; 0 when it declares none.
double vf_video_fps(const vf_video *video);
/// Frames the container declares (an estimate for some formats); 0 when unknown.
int64_t vf_video_frame_count(const vf_video *video);
int vf_video_width(const vf_video *video);
int vf_video_height(const vf_video *video);
/// Decodes the next frame into a new 8-bit BGR image and its timestamp in milliseconds
/// from the start of the stream. At the end of the stream it returns VF_OK with `*out`
/// NULL.
vf_status vf_video_read(vf_video *video, vf_image **out, double *time_ms, vf_message *error);
/// Copies an image's pixels, packed BGR rows (width x 3 bytes each), into `pixels`, which
/// must hold width x height x 3 bytes.
vf_status vf_image_copy_bgr(const vf_image *image, uint8_t *pixels, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
