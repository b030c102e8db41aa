import FaceServices
import Foundation

/// SFace and dlib embeddings of the largest face of many image files, computed on an
/// engine pool with a progress line.
public struct FaceEmbeddings: Sendable {
    public struct Entry: Sendable {
        public var sface: Embedding
        public var dlib: Embedding
        public var detector: DetectorKind
    }

    public var entries: [String: Entry]
    /// Images where neither detector found a face; they are embedded from a centred box.
    public var missed: [String]

    /// Loads embeddings saved by `save(to:)` when they cover `images`, else computes and saves them.
    public static func cached(at path: String?, root: URL, images: [String], pool: EnginePool) async throws -> FaceEmbeddings {
        if let path, let data = FileManager.default.contents(atPath: path),
           let saved = try? JSONDecoder().decode(Saved.self, from: data),
           saved.models == Saved.currentModels, Set(images).isSubset(of: saved.entries.keys) {
            FileHandle.standardError.write(Data("embeddings: reusing \(path)\n".utf8))
            return FaceEmbeddings(
                entries: saved.entries.mapValues {
                    Entry(sface: Embedding(kind: .sface, raw: $0.sface), dlib: Embedding(kind: .dlib, raw: $0.dlib), detector: $0.detector)
                },
                missed: saved.missed)
        }
        let computed = try await compute(root: root, images: images, pool: pool)
        if let path { try computed.save(to: path) }
        return computed
    }

    public func save(to path: String) throws {
        let saved = Saved(models: Saved.currentModels, missed: missed, entries: entries.mapValues {
            Saved.Row(sface: $0.sface.vector, dlib: $0.dlib.vector, detector: $0.detector)
        })
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(saved).write(to: url)
    }

    private struct Saved: Codable {
        struct Row: Codable { var sface: [Float]; var dlib: [Float]; var detector: DetectorKind }
        static let currentModels = EmbedderKind.allCases.map(\.modelVersion)
        var models: [String]
        var missed: [String]
        var entries: [String: Row]
    }

    public static func compute(root: URL, images: [String], pool: EnginePool) async throws -> FaceEmbeddings {
        let progress = ProgressLine("embedding", total: images.count)
        var entries: [String: Entry] = [:]
        var missed: [String] = []
        try await withThrowingTaskGroup(of: (String, Entry, Bool).self) { group in
            var pending = images.makeIterator()
            func enqueue() {
                guard let name = pending.next() else { return }
                let url = root.appendingPathComponent(name)
                group.addTask {
                    let bytes = try Data(contentsOf: url)
                    let image = try DecodedImage(bytes: bytes)
                    let (entry, found) = try await pool.run { engine in try embedLargest(engine, image) }
                    return (name, entry, found)
                }
            }
            for _ in 0..<(pool.workerCount * 2) { enqueue() }
            while let (name, entry, found) = try await group.next() {
                entries[name] = entry
                if !found { missed.append(name) }
                progress.advance()
                enqueue()
            }
        }
        progress.finish()
        return FaceEmbeddings(entries: entries, missed: missed.sorted())
    }

    static func embedLargest(_ engine: FaceEngine, _ image: DecodedImage) throws -> (Entry, Bool) {
        var detector = DetectorKind.yunet
        var face = try engine.detect(image, detector: .yunet, minScore: 0.5, maxFaces: 1).first
        if face == nil {
            detector = .hog
            face = try engine.detect(image, detector: .hog, minScore: 0, maxFaces: 1).first
        }
        let found = face != nil
        let chosen = face ?? centredFace(width: Float(image.width), height: Float(image.height))
        return (Entry(sface: try engine.embed(image, face: chosen, with: .sface),
                      dlib: try engine.embed(image, face: chosen, with: .dlib), detector: detector), found)
    }

    /// Where a face sits in an LFW-style centred crop, for the rare image no detector finds.
    static func centredFace(width: Float, height: Float) -> Face {
        let w = width * 0.42, h = height * 0.5
        let x = (width - w) / 2, y = (height - h) / 2
        let points = [Point(x: x + 0.3 * w, y: y + 0.4 * h), Point(x: x + 0.7 * w, y: y + 0.4 * h),
                      Point(x: x + 0.5 * w, y: y + 0.6 * h), Point(x: x + 0.35 * w, y: y + 0.8 * h),
                      Point(x: x + 0.65 * w, y: y + 0.8 * h)]
        return Face(box: Box(x: x, y: y, width: w, height: h), score: 0, keyPoints: points, detector: .yunet)
    }
}
