import FaceServices
import Vapor

// Request and response bodies of /v1/faces/*. Field names are the API's contract and are
// documented in openapi.json; they are kept apart from the domain types on purpose.

/// The options of detect and analyze; the image itself is read by `ImageInput`.
struct DetectRequest: Content {
    var maxFaces: Int?
    var minFaceSize: Int?
    var detector: DetectorKind?
    var withQuality: Bool?
    var withAttributes: Bool?
    var qualityControl: QualityControl?

    func options(defaultMaxFaces: Int) throws -> DetectOptions {
        let maxFaces = self.maxFaces ?? defaultMaxFaces
        guard (1...32).contains(maxFaces) else { throw ServiceError(.invalidParameter, "maxFaces must be 1-32") }
        let minFaceSize = self.minFaceSize ?? 20
        guard (10...4096).contains(minFaceSize) else { throw ServiceError(.invalidParameter, "minFaceSize must be 10-4096") }
        return DetectOptions(detector: detector ?? .yunet, maxFaces: maxFaces, minFaceSize: minFaceSize,
                             withQuality: withQuality ?? false, withAttributes: withAttributes ?? false,
                             qualityControl: qualityControl ?? .none)
    }
}

struct CompareRequest: Content {
    var mode: CompareMode?
    var qualityControl: QualityControl?
}

struct PointDTO: Content {
    var x: Float
    var y: Float
    init(_ p: Point) { x = p.x; y = p.y }
}

struct BoxDTO: Content {
    var x: Float, y: Float, width: Float, height: Float
    init(_ b: Box) { x = b.x; y = b.y; width = b.width; height = b.height }
}

struct QualityDTO: Content {
    var overall: Int, sharpness: Int, brightness: Int, size: Int, pose: Int, completeness: Int
    init(_ q: FaceQuality) {
        overall = Int(q.overall.rounded()); sharpness = Int(q.sharpness.rounded())
        brightness = Int(q.brightness.rounded()); size = Int(q.size.rounded())
        pose = Int(q.pose.rounded()); completeness = Int(q.completeness.rounded())
    }
}

struct PoseDTO: Content {
    var yaw: Float, pitch: Float, roll: Float
    init(_ p: HeadPose) { yaw = p.yaw; pitch = p.pitch; roll = p.roll }
}

struct AttributesDTO: Content {
    var age: Int?
    var gender: String?
    var genderConfidence: Float?
    var headPose: PoseDTO?
    var eyesOpen: Bool?
    var mouthOpen: Bool?
    /// Attributes the installed engines cannot estimate; never invented.
    var unavailable: [String]

    init(_ a: FaceAttributes) {
        age = a.age.map { Int($0.rounded()) }
        if let male = a.maleProbability {
            gender = male >= 0.5 ? "male" : "female"
            genderConfidence = max(male, 1 - male)
        }
        headPose = a.pose.map(PoseDTO.init)
        eyesOpen = a.eyesOpen
        mouthOpen = a.mouthOpen
        unavailable = FaceAttributes.unavailable
    }
}

struct FaceDTO: Content {
    var box: BoxDTO
    var score: Float
    var keyPoints: [PointDTO]
    var quality: QualityDTO?
    var attributes: AttributesDTO?

    init(_ d: DetectedFace) {
        box = BoxDTO(d.face.box)
        score = d.face.score
        keyPoints = d.face.keyPoints.map(PointDTO.init)
        quality = d.quality.map(QualityDTO.init)
        attributes = d.attributes.map(AttributesDTO.init)
    }
}

struct DetectResponse: Content {
    var RequestId: String
    var imageWidth: Int
    var imageHeight: Int
    var detector: String
    var faces: [FaceDTO]
}

struct AnalyzedFaceDTO: Content {
    var box: BoxDTO
    var score: Float
    var landmarkModel: String?
    /// (x, y, z) of the 468 mesh points then 5 iris points per eye; z is relative depth.
    var mesh: [[Float]]?
    var meshPresence: Float?
    var landmarks68: [PointDTO]?
    var headPose: PoseDTO?
    var eyeOpenness: Float?
    var mouthOpenness: Float?

    init(_ a: FaceAnalysis) {
        box = BoxDTO(a.face.box)
        score = a.face.score
        mesh = a.mesh.map { $0.points.map { [$0.x, $0.y, $0.z] } }
        meshPresence = a.mesh?.presence
        landmarks68 = a.landmarks68.map { $0.map(PointDTO.init) }
        landmarkModel = a.mesh != nil ? LandmarkModel.mediapipeMesh.rawValue : (a.landmarks68 != nil ? LandmarkModel.dlib68.rawValue : nil)
        headPose = a.pose.map(PoseDTO.init)
        eyeOpenness = a.openness?.eyes
        mouthOpenness = a.openness?.mouth
    }
}

struct AnalyzeResponse: Content {
    var RequestId: String
    var imageWidth: Int
    var imageHeight: Int
    var faces: [AnalyzedFaceDTO]
}

struct CompareResponse: Content {
    var RequestId: String
    /// 0-100; compare with `thresholds`.
    var score: Float
    /// The score reaching each false-accept rate: {"1e-3": 60, "1e-4": 70, "1e-5": 80}.
    var thresholds: [String: Float]
    var mode: String
    var engines: [String: Float]
    var faceA: FaceDTO
    var faceB: FaceDTO
}
