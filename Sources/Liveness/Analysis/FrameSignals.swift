import FaceServices

/// What one analysed frame tells the liveness tracker: the faces, the largest face's pose,
/// eye and mouth openness, light, sharpness and identity. Plain values, cheap to keep.
public struct FrameSignals: Sendable {
    /// Faces the detector found, any size.
    public var faceCount: Int
    public var imageWidth: Int
    public var imageHeight: Int
    /// The largest face, in pixels.
    public var box: Box?
    /// Every face found, largest first (the tracker ignores small faces far behind the user).
    public var boxes: [Box]
    /// Degrees, from the mesh's own 3D shape (see `HeadPose`): positive yaw = the user turns
    /// to their own left, positive pitch = chin up, positive roll = head towards the left shoulder.
    public var yaw: Float?
    public var pitch: Float?
    public var roll: Float?
    /// `Openness.eyes` and `Openness.mouth` (aspect ratios) of the largest face.
    public var eyeOpenness: Float?
    public var mouthOpenness: Float?
    /// The mesh model's confidence that a whole face is in its crop, 0-1; low when the face
    /// is covered or cut off.
    public var meshPresence: Float?
    /// Mean luma 0-255 of the face box, or of the whole image when there is no face.
    public var brightness: Float
    /// `FaceQuality.sharpness` 0-100 (variance of the Laplacian of the face at 112 px,
    /// mapped so that larger = sharper).
    public var sharpness: Float?
    /// SFace unit vector of the largest face; nil on frames where it was not computed.
    public var embedding: [Float]?
    /// `FaceQuality.overall` / 100: sharpness, light, size, pose and completeness together.
    public var quality: Float?
    /// The colour of the light on the largest face and behind it (the colour-flash check).
    public var light: LightOnFace?
    /// Size and depth-revealing proportion of the largest face (the near-far check).
    public var proportions: FaceProportions?
    /// `StaticLivenessModel` score 0-100 of the largest face, on frames where the detector
    /// found it (its box is what the model was trained on; tracked frames carry none).
    public var staticLiveness: Float?

    public init(faceCount: Int, imageWidth: Int, imageHeight: Int, box: Box? = nil, boxes: [Box] = [],
                yaw: Float? = nil, pitch: Float? = nil, roll: Float? = nil,
                eyeOpenness: Float? = nil, mouthOpenness: Float? = nil, meshPresence: Float? = nil,
                brightness: Float, sharpness: Float? = nil, embedding: [Float]? = nil, quality: Float? = nil) {
        self.faceCount = faceCount; self.imageWidth = imageWidth; self.imageHeight = imageHeight
        self.box = box; self.boxes = boxes.isEmpty ? (box.map { [$0] } ?? []) : boxes
        self.yaw = yaw; self.pitch = pitch; self.roll = roll
        self.eyeOpenness = eyeOpenness; self.mouthOpenness = mouthOpenness; self.meshPresence = meshPresence
        self.brightness = brightness; self.sharpness = sharpness; self.embedding = embedding; self.quality = quality
    }
}
