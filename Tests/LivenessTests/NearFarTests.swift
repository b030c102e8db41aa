import FaceServices
@testable import Liveness
import TestSupport
import XCTest

/// Near-far on real faces: the 3D meshes of the clips' frames, projected with a phone
/// camera's perspective as the phone moves, pass in both directions; the same meshes
/// flattened (a photo) fail, and so do real frames zoomed digitally, a still photo zoomed,
/// and a clip where nothing moves.
final class NearFarTests: XCTestCase {
    static let clips = ["videos/liveportrait/driving_d3.mp4", "videos/liveportrait/driving_d18.mp4",
                        "videos/liveportrait/source_s18.mp4", "videos/obama.mp4"]

    /// `count` meshes of a clip at 12 frames a second; a clip too short plays back and forth.
    static func meshes(_ clip: String, count: Int) async throws -> [FaceMesh] {
        let reader = try VideoReader(path: TestData.url(clip).path)
        var meshes: [FaceMesh] = []
        while meshes.count < count, let frame = try reader.next(sampledAt: 12) {
            let mesh: FaceMesh? = try await TestData.service.onEngine { engine in
                guard let face = try engine.detect(frame.image, minScore: 0.8, minFaceSize: 40, maxFaces: 1, coarseToFine: true).first else { return nil }
                return try engine.mesh(frame.image, face: face)
            }
            if let mesh { meshes.append(mesh) }
        }
        let played = meshes
        while !played.isEmpty, meshes.count < count { meshes += meshes.count / played.count % 2 == 1 ? played.reversed() : played }
        return Array(meshes.prefix(count))
    }

    func check(_ meshes: [FaceMesh], _ direction: NearFar.Direction, far: Float, near: Float, flat: Bool) -> NearFarCheck.Verdict {
        var check = NearFarCheck(request: NearFar(direction: direction))
        let (from, to) = direction == .farToNear ? (far, near) : (near, far)
        for (index, mesh) in meshes.enumerated() {
            let time = Double(index) / 12
            let distance = MeshProjection.distance(at: time, request: NearFar(direction: direction), from: from, to: to)
            if let proportions = MeshProjection().proportions(mesh, distance: distance, flat: flat) {
                check.add(proportions, yaw: 0, pitch: 0, at: time)
            }
        }
        return check.verdict()
    }

    func testRealFacesProjectedAtChangingDistancesPassAndFlatOnesFail() async throws {
        for clip in Self.clips {
            // 6.5 s of the clip's own motion (talking, small turns), each frame's mesh at its distance.
            let meshes = try await Self.meshes(clip, count: 78)
            XCTAssertGreaterThan(meshes.count, 60, clip)
            for direction in NearFar.Direction.allCases {
                let real = check(meshes, direction, far: 45, near: 28, flat: false)
                XCTAssertTrue(real.passed, "\(clip) \(direction): \(real.reason)")
                print("near-far \(clip) \(direction.rawValue) 45-28 cm: real \(String(format: "%+.1f %%", real.rise * 100)), flat \(String(format: "%+.1f %%", check(meshes, direction, far: 45, near: 28, flat: true).rise * 100))")
                let photo = check(meshes, direction, far: 45, near: 28, flat: true)
                XCTAssertFalse(photo.passed, "\(clip) \(direction) flat: \(photo.reason)")
                XCTAssertEqual(photo.code, 1301, "\(clip) \(direction) flat: \(photo.reason)")
            }
            // Asked for one direction, moved the other way.
            var opposite = NearFarCheck(request: NearFar(direction: .farToNear))
            for (index, mesh) in meshes.enumerated() {
                let time = Double(index) / 12
                let distance = MeshProjection.distance(at: time, request: NearFar(direction: .nearToFar), from: 28, to: 45)
                if let p = MeshProjection().proportions(mesh, distance: distance) { opposite.add(p, yaw: 0, pitch: 0, at: time) }
            }
            XCTAssertEqual(opposite.verdict().code, 1005, "\(clip): \(opposite.verdict().reason)")
        }
    }

    /// The frames of a video through the session's analysis, into a near-far check.
    func judged(_ path: String, _ direction: NearFar.Direction) async throws -> NearFarCheck.Verdict {
        let reader = try VideoReader(path: path)
        let analyzer = FrameAnalyzer(faces: TestData.service)
        var track: FaceTrack?
        var check = NearFarCheck(request: NearFar(direction: direction))
        while let frame = try reader.next(sampledAt: 12), frame.time < 6.5 {
            let (signals, next) = try await analyzer.analyze(frame.image, embed: false, track: track)
            track = next
            check.add(signals, at: frame.time)
        }
        return check.verdict()
    }

    func testDigitalZoomsOfARealClipAndOfAPhotoFail() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("near-far-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = TestData.url("videos/liveportrait/source_s18.mp4").path
        let base = "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15"
        // The frame at 1/1.6 of its size on a grey card until 2.5 s, zoomed about the centre
        // to 1.6x (its own size and place) by 5.5 s: the face grows as it would from 45 to 28 cm.
        let zoom = "scale=400:300,pad=640:480:120:90:color=gray,"
            + "scale=w='trunc(640*(1+0.6*min(max((t-2.5)/3,0),1))/2)*2':h=-2:eval=frame,crop=640:480"
        let zoomed = folder.appendingPathComponent("zoomed.mp4").path
        try ffmpeg(["-i", clip, "-t", "6.5", "-vf", "\(base),\(zoom)", "-an", zoomed])
        let still = folder.appendingPathComponent("still.png").path
        try ffmpeg(["-ss", "3", "-i", clip, "-frames:v", "1", still])
        let photo = folder.appendingPathComponent("photo-zoomed.mp4").path
        try ffmpeg(["-loop", "1", "-i", still, "-t", "6.5", "-vf", "\(base),\(zoom)", "-pix_fmt", "yuv420p", photo])
        let unmoved = folder.appendingPathComponent("unmoved.mp4").path
        try ffmpeg(["-i", clip, "-t", "6.5", "-vf", base, "-an", unmoved])

        let zoomedClip = try await judged(zoomed, .farToNear)
        XCTAssertEqual(zoomedClip.code, 1301, zoomedClip.reason)
        XCTAssertGreaterThan(zoomedClip.sizeChange, 1.35, zoomedClip.reason)
        let zoomedPhoto = try await judged(photo, .farToNear)
        XCTAssertEqual(zoomedPhoto.code, 1301, zoomedPhoto.reason)
        let still2 = try await judged(unmoved, .farToNear)
        XCTAssertEqual(still2.code, 1005, still2.reason)
        print("near-far on source_s18: zoomed clip \(zoomedClip.reason); zoomed photo \(zoomedPhoto.reason); unmoved \(still2.reason)")
    }
}
