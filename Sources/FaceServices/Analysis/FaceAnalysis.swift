/// Dense landmarks and what they tell about one face.
public struct FaceAnalysis: Sendable {
    public var face: Face
    public var mesh: FaceMesh?
    public var landmarks68: [Point]?
    public var pose: HeadPose?
    public var openness: Openness?
}

/// Age and gender where the models exist; everything else the SPEC lists is reported as
/// unavailable rather than guessed.
public struct FaceAttributes: Sendable, Equatable {
    public var age: Float?
    /// Probability that the face is male, 0-1.
    public var maleProbability: Float?
    public var pose: HeadPose?
    public var eyesOpen: Bool?
    public var mouthOpen: Bool?

    /// Attributes no installed engine estimates yet.
    public static let unavailable = ["expression", "glasses", "mask", "hat", "hair", "beauty"]
}

extension FaceEngine {
    /// Mesh (when loaded), dlib's 68 points (when enabled), head pose and openness.
    public func analyze(_ image: DecodedImage, face: Face, want68: Bool = false) throws -> FaceAnalysis {
        var analysis = FaceAnalysis(face: face)
        if options.mesh {
            let mesh = try mesh(image, face: face)
            analysis.mesh = mesh
            analysis.pose = HeadPose(mesh: mesh)
            analysis.openness = Openness(mesh: mesh)
        }
        if want68 && options.landmarks68 { analysis.landmarks68 = try landmarks68(image, face: face) }
        return analysis
    }

    public func attributes(_ image: DecodedImage, face: Face) throws -> FaceAttributes {
        var attributes = FaceAttributes()
        if options.attributes {
            let (age, male) = try ageAndGender(image, face: face)
            attributes.age = age
            attributes.maleProbability = male
        }
        if options.mesh {
            let analysis = try analyze(image, face: face)
            attributes.pose = analysis.pose
            if let openness = analysis.openness {
                attributes.eyesOpen = openness.eyes > 0.18
                attributes.mouthOpen = openness.mouth > 0.25
            }
        }
        return attributes
    }
}
