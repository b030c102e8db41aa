import Foundation

/// The approximate index without its lock: faces in k-means lists (IVF), each list
/// scanned exactly like the exact index when the query probes it.
final class InvertedLists {
    private(set) var faces: FaceLists
    /// nil until there are enough faces to train on; then everything is one list.
    private(set) var centroids: ListCentroids?
    /// Faces present at the last training; growing far past it triggers a retraining.
    private(set) var trainedCount = 0
    let parameters: ApproximateIndex.Parameters

    /// Below this many faces there is one list: scanning it is as fast as probing.
    static let minimumTrainingCount = 1024
    /// Retrain when the index has grown this many times since the last training (the
    /// lists would otherwise grow long and slow). Amortised, like an array doubling.
    static let regrowthFactor = 4

    init(parameters: ApproximateIndex.Parameters) {
        self.parameters = parameters
        faces = FaceLists(listCount: 1)
    }

    var count: Int { faces.count }
    var listCount: Int { centroids?.count ?? 1 }
    var memoryBytes: Int { faces.memoryBytes + (centroids.map { ($0.fine.count + $0.coarse.count) * 4 } ?? 0) }

    var probes: Int {
        if let probes = parameters.probes { return max(1, min(probes, listCount)) }
        return ApproximateIndex.Parameters.automaticProbes(listCount: listCount)
    }

    func add(unit vector: [Float], faceID: UUID, personID: UUID) {
        let list = vector.withUnsafeBufferPointer { centroids?.list(for: $0.baseAddress!) ?? 0 }
        faces.add(unit: vector, faceID: faceID, personID: personID, list: list)
        if count >= max(Self.minimumTrainingCount, trainedCount * Self.regrowthFactor) { retrain(progress: nil) }
    }

    @discardableResult
    func remove(_ faceID: UUID) -> Bool { faces.remove(faceID) }

    /// Scans the `probes` nearest lists; when the best face found there is not a
    /// confident match, scans every other list too (see `Parameters.exactBelowSimilarity`).
    func search(_ query: borrowing EncodedQuery, k: Int, probes: Int? = nil) -> [IndexHit] {
        var heap = CandidateHeap(capacity: FaceLists.candidateCount(k: k))
        guard let centroids else {
            faces.scan(list: 0, query: query, into: &heap)
            return faces.rerank(heap, query: query, k: k)
        }
        let nearest = centroids.lists(toProbe: query.float, probes: probes ?? self.probes)
        for list in nearest { faces.scan(list: list, query: query, into: &heap) }
        if heap.best * query.scoreToSimilarity < parameters.exactBelowSimilarity {
            let scanned = Set(nearest)
            for list in 0..<centroids.count where !scanned.contains(list) { faces.scan(list: list, query: query, into: &heap) }
        }
        return faces.rerank(heap, query: query, k: k)
    }

    /// Trains new lists on the faces held now and moves every face into them.
    func retrain(progress: ((BuildProgress) -> Void)?) {
        let source = faces
        faces = FaceLists(listCount: 1)
        (faces, centroids) = Self.partition(source, parameters: parameters, progress: progress)
        trainedCount = faces.count
    }

    /// Builds lists for the faces of `source` (which it empties, chunk by chunk, so the
    /// faces are never held twice).
    static func build(from source: FaceLists, parameters: ApproximateIndex.Parameters,
                      progress: ((BuildProgress) -> Void)?) -> InvertedLists {
        let index = InvertedLists(parameters: parameters)
        (index.faces, index.centroids) = partition(source, parameters: parameters, progress: progress)
        index.trainedCount = index.faces.count
        return index
    }

    private static func partition(_ source: FaceLists, parameters: ApproximateIndex.Parameters,
                                  progress: ((BuildProgress) -> Void)?) -> (FaceLists, ListCentroids?) {
        let total = source.count
        let d = FaceVector.dimension
        let cells = parameters.listCount ?? ApproximateIndex.Parameters.automaticListCount(faces: total)
        guard total >= minimumTrainingCount || parameters.listCount != nil, cells > 1, total > 0 else {
            let single = FaceLists(listCount: 1, expectedCount: total)
            single.reserve(perList: [total])
            source.drain { chunk in for offset in 0..<chunk.count { single.add(copyOf: chunk, at: offset, list: 0) } }
            return (single, nil)
        }
        var generator = SplitMix64(seed: parameters.seed)

        // 1. Train on a random sample, decoded back to float32.
        progress?(BuildProgress(stage: .training, done: 0, total: total))
        let wanted = min(total, max(20_000, cells * parameters.samplesPerList))
        let sample = UnsafeMutablePointer<Float>.allocate(capacity: (wanted + 64) * d)
        defer { sample.deallocate() }
        var sampled = 0
        var seen = 0
        for store in source.lists {
            for chunk in store.chunks {
                for offset in 0..<chunk.count where sampled < wanted + 64 {
                    // Selection sampling: each remaining face is taken with the chance
                    // that leaves exactly `wanted` in expectation at the end.
                    let remaining = total - seen
                    seen += 1
                    if Int.random(in: 0..<remaining, using: &generator) < wanted - sampled {
                        chunk.decode(at: offset, into: sample + sampled * d)
                        sampled += 1
                    }
                }
            }
        }
        let centroids = ListCentroids(sample: sample, sampleCount: sampled, cells: cells,
                                      iterations: parameters.trainingIterations, threads: parameters.threads,
                                      generator: &generator)

        // 2. Choose every face's list, in parallel, chunk by chunk.
        let assignment = UnsafeMutablePointer<Int32>.allocate(capacity: total)
        defer { assignment.deallocate() }
        var done = 0
        for store in source.lists {
            for chunk in store.chunks {
                let base = done
                SphericalKMeans.parallelRanges(count: chunk.count, threads: parameters.threads) { range in
                    let vector = UnsafeMutablePointer<Float>.allocate(capacity: d)
                    defer { vector.deallocate() }
                    for offset in range {
                        chunk.decode(at: offset, into: vector)
                        assignment[base + offset] = Int32(centroids.list(for: vector))
                    }
                }
                done += chunk.count
                progress?(BuildProgress(stage: .assigning, done: done, total: total))
            }
        }

        // 3. Move the faces, freeing the source as it empties.
        var sizes = [Int](repeating: 0, count: centroids.count)
        for i in 0..<total { sizes[Int(assignment[i])] += 1 }
        let lists = FaceLists(listCount: centroids.count, expectedCount: total)
        lists.reserve(perList: sizes)
        var moved = 0
        source.drain { chunk in
            // The chunk drained before this one is free now: give it back at once, or the
            // allocator keeps it and the build briefly holds the faces twice.
            returnFreedMemory()
            for offset in 0..<chunk.count {
                lists.add(copyOf: chunk, at: offset, list: Int(assignment[moved]))
                moved += 1
            }
        }
        returnFreedMemory()
        return (lists, centroids)
    }
}

/// Hands the source's freed chunks back to the system. glibc keeps freed heap memory for
/// reuse, so without this a process that just rebuilt 3 million faces would keep nearly
/// twice the index's size resident.
func returnFreedMemory() {
    #if os(Linux)
    _ = glibcMallocTrim(0)
    #endif
}

#if os(Linux)
/// glibc's `malloc_trim`, which the Glibc module map leaves out (it lives in malloc.h).
@_silgen_name("malloc_trim")
func glibcMallocTrim(_ pad: Int) -> Int32
#endif

