import FaceIndex
import FaceServices
import Foundation
import Liveness

/// The presentations of `veriface eval pad`, made from ../shared/data: the real clips
/// (bona fide users), the real screen replay of spoof/, and the attacks made from the clips
/// with ffmpeg (a still photo, a print, a simulated screen replay, the actions in the wrong
/// order, another person taking over, a recording made for another challenge, colours in
/// another order or out of time, digital zooms), plus injected frames. Videos are written
/// once into `folder` and reused.
public struct PADCorpus: Sendable {
    public let data: URL
    public let folder: URL
    public let seed: UInt64

    public init(data: URL, folder: URL, seed: UInt64 = 42) {
        self.data = data
        self.folder = folder
        self.seed = seed
    }

    /// The people of the clips (bona fide users), each a clip and a frame of it at rest.
    static let people: [(name: String, clip: String, still: Double)] = [
        ("driving_d3", "videos/liveportrait/driving_d3.mp4", 6.4),
        ("driving_d10", "videos/liveportrait/driving_d10.mp4", 1.0),
        ("driving_d12", "videos/liveportrait/driving_d12.mp4", 1.0),
        ("driving_d18", "videos/liveportrait/driving_d18.mp4", 1.0),
        ("source_s18", "videos/liveportrait/source_s18.mp4", 3.0),
        ("real2", "spoof/apfol_liveness_detection_opencv/videos/real2.webm", 2.0),
    ]
    static let screenReplay = "spoof/apfol_liveness_detection_opencv/videos/fake2.webm"
    /// Where each action happens in driving_d3 (seconds; as in Tests/Integration/test_h5_liveness.py).
    static let actionsOfD3: [LivenessAction: (start: Double, length: Double)] = [
        .blink: (1.3, 0.6), .turnRight: (0.0, 1.2), .turnLeft: (7.9, 1.7), .openMouth: (9.6, 2.2),
    ]
    /// Another person doing each action, for the face swap.
    static let otherPerson: [LivenessAction: (clip: String, start: Double, length: Double)] = [
        .blink: ("videos/liveportrait/driving_d18.mp4", 0, 4), .openMouth: ("videos/liveportrait/driving_d10.mp4", 0, 4),
        .turnLeft: ("videos/liveportrait/driving_d12.mp4", 0, 4), .turnRight: ("videos/liveportrait/driving_d12.mp4", 0, 4),
    ]
    static let frame = "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15"
    static let encode = ["-an", "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p"]

    /// Every presentation of every mode. `faceBox` finds the face in a picture (for tinting).
    public func samples(faceBox: (URL) async throws -> Box?, meshes: (URL, Int) async throws -> [FaceMesh]) async throws -> [PADSample] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: seed)
        var samples: [PADSample] = []
        let stills = try Self.people.map { try still($0.name, $0.clip, at: $0.still) }
        let prints = try Self.people.map { try printed($0.name, $0.clip, at: $0.still) }
        let replays = try Self.people.map { try simulatedReplay($0.name, $0.clip) } + [data.appendingPathComponent(Self.screenReplay)]
        let replayNames = Self.people.map(\.name) + ["fake2 (real phone-screen replay)"]
        let pool: [LivenessAction] = [.blink, .openMouth, .turnLeft, .turnRight]

        func add(_ mode: SceneRules.Mode, _ label: PADSample.Label, _ name: String, _ challenge: Challenge, _ presentation: PADSample.Presentation) {
            samples.append(PADSample(name: name, mode: mode, label: label, challenge: challenge, presentation: presentation))
        }
        func video(_ url: URL, flash: [PADSample.FlashStep] = []) -> PADSample.Presentation { .video(path: url.path, flashShown: flash) }
        func injected(_ mode: SceneRules.Mode, _ challenge: Challenge) {
            for stream in PADSample.InjectedStream.allCases { add(mode, .attack("injected stream"), stream.rawValue, challenge, .injected(stream)) }
        }
        func presentationAttacks(_ mode: SceneRules.Mode, _ challenge: () -> Challenge) {
            for (person, url) in zip(Self.people, stills) { add(mode, .attack("still photo"), person.name, challenge(), video(url)) }
            for (person, url) in zip(Self.people, prints) { add(mode, .attack("printed photo"), person.name, challenge(), video(url)) }
            for (name, url) in zip(replayNames, replays) { add(mode, .attack("screen replay"), name, challenge(), video(url)) }
        }

        // Action: every ordered pair of four actions, done by driving_d3 in order.
        var pairs: [[LivenessAction]] = []
        for first in pool { for second in pool where second != first { pairs.append([first, second]) } }
        for pair in pairs {
            let name = pair.map(\.rawValue).joined(separator: "+")
            add(.action, .bonaFide, "driving_d3 " + name, Challenge(actions: pair), video(try composed(name, pair.map { Self.segment($0) })))
            add(.action, .attack("wrong order"), "driving_d3 " + name + " reversed", Challenge(actions: pair),
                video(try composed(name + "-reversed", pair.reversed().map { Self.segment($0) })))
            add(.action, .attack("face swap"), "driving_d3 then another person", Challenge(actions: pair),
                video(try composed(name + "-swap", [Self.segment(pair[0]), Self.otherSegment(pair[1])])))
            // A recording of this challenge, injected into a session that drew another one.
            let other = pairs.filter { $0 != pair }.randomElement(using: &rng)!
            add(.action, .attack("pre-recorded video"), "driving_d3 " + name + " against " + other.map(\.rawValue).joined(separator: "+"),
                Challenge(actions: other), video(try composed(name, pair.map { Self.segment($0) })))
        }
        presentationAttacks(.action) { Challenge.draw(from: pool, count: 2, using: &rng) }
        injected(.action, Challenge(actions: [.blink, .openMouth]))

        // Silent: the whole clip of each person, waiting for a natural blink.
        for person in Self.people {
            add(.silent, .bonaFide, person.name, Challenge(actions: [.blink]), video(data.appendingPathComponent(person.clip)))
        }
        presentationAttacks(.silent) { Challenge(actions: [.blink]) }
        injected(.silent, Challenge(actions: [.blink]))

        // Colour flash: each clip with its face lit by the drawn colours in time, or not, or wrongly.
        for (person, still) in zip(Self.people, stills) {
            guard let box = try await faceBox(still) else { continue }
            let flash = ColourFlash.draw(using: &rng)
            let challenge = Challenge(actions: [], colourFlash: flash)
            let shown = Self.shown(flash)
            let clip = data.appendingPathComponent(person.clip)
            add(.colourFlash, .bonaFide, person.name, challenge, video(try tinted(person.name, clip, box, flash.steps, delay: 0.1), flash: shown))
            let rotated = flash.steps.indices.map { ColourFlash.Step(colour: flash.steps[($0 + 2) % flash.steps.count].colour, millis: flash.steps[$0].millis) }
            add(.colourFlash, .attack("colours in another order"), person.name, challenge,
                video(try tinted(person.name + "-other", clip, box, rotated, delay: 0.1), flash: shown))
            add(.colourFlash, .attack("colours out of time"), person.name + " 1.2 s late", challenge,
                video(try tinted(person.name + "-late", clip, box, flash.steps, delay: 1.3), flash: shown))
        }
        presentationAttacks(.colourFlash) { Challenge(actions: [], colourFlash: ColourFlash.draw(using: &rng)) }
        // The presentation attacks' simulated page showed their own sequences.
        for index in samples.indices where samples[index].mode == .colourFlash && samples[index].label != .bonaFide {
            if case .video(let path, let shown) = samples[index].presentation, shown.isEmpty, let flash = samples[index].challenge.colourFlash {
                samples[index].presentation = .video(path: path, flashShown: Self.shown(flash))
            }
        }
        injected(.colourFlash, Challenge(actions: [], colourFlash: ColourFlash.draw(using: &rng)))

        // Near-far: the clips' real meshes projected as the phone moves (bona fide) or flat (a
        // photo moved); photos and clips zoomed digitally in step with the request; the rest.
        for person in Self.people.prefix(5) {
            let meshes = try await meshes(data.appendingPathComponent(person.clip), 78)
            guard meshes.count > 12 else { continue }
            for direction in NearFar.Direction.allCases {
                let request = NearFar(direction: direction)
                let challenge = Challenge(actions: [.blink], nearFar: request)
                add(.nearFar, .bonaFide, "\(person.name) \(direction.rawValue), 45-28 cm", challenge, .proportions(Self.projected(meshes, request, flat: false)))
                add(.nearFar, .attack("photo moved"), "\(person.name) \(direction.rawValue), flat", challenge, .proportions(Self.projected(meshes, request, flat: true)))
            }
        }
        for person in Self.people {
            let direction = NearFar.Direction.allCases.randomElement(using: &rng)!
            let challenge = Challenge(actions: [.blink], nearFar: NearFar(direction: direction))
            add(.nearFar, .attack("zoomed photo"), "\(person.name) \(direction.rawValue)", challenge,
                video(try zoomed(person.name + "-photo", ["-loop", "1", "-i", folder.appendingPathComponent("still-\(person.name).png").path], direction)))
            add(.nearFar, .attack("zoomed video"), "\(person.name) \(direction.rawValue)", challenge,
                video(try zoomed(person.name + "-clip", ["-i", data.appendingPathComponent(person.clip).path], direction)))
        }
        presentationAttacks(.nearFar) { Challenge(actions: [.blink], nearFar: NearFar(direction: NearFar.Direction.allCases.randomElement(using: &rng)!)) }
        injected(.nearFar, Challenge(actions: [.blink], nearFar: NearFar(direction: .farToNear)))
        return samples
    }

    // MARK: Making the videos

    static func segment(_ action: LivenessAction) -> (clip: String, start: Double, length: Double) {
        let at = actionsOfD3[action]!
        return ("videos/liveportrait/driving_d3.mp4", at.start, at.length)
    }

    static func otherSegment(_ action: LivenessAction) -> (clip: String, start: Double, length: Double) {
        otherPerson[action]!
    }

    /// The segments in order after 1.5 s of the first one's first frame (the user settling).
    func composed(_ name: String, _ segments: [(clip: String, start: Double, length: Double)]) throws -> URL {
        let out = folder.appendingPathComponent("composed-\(name).mp4")
        var arguments: [String] = []
        var graph = ""
        for (index, segment) in segments.enumerated() {
            arguments += ["-i", data.appendingPathComponent(segment.clip).path]
            if index == 0 {
                graph += "[0:v]trim=start=\(segment.start):duration=0.05,setpts=PTS-STARTPTS,\(Self.frame),tpad=stop_mode=clone:stop_duration=1.5[lead];"
            }
            graph += "[\(index):v]trim=start=\(segment.start):duration=\(segment.length),setpts=PTS-STARTPTS,\(Self.frame)[s\(index)];"
        }
        graph += "[lead]" + segments.indices.map { "[s\($0)]" }.joined() + "concat=n=\(segments.count + 1):v=1:a=0[v]"
        try Ffmpeg.make(out, arguments + ["-filter_complex", graph, "-map", "[v]"] + Self.encode)
        return out
    }

    func still(_ name: String, _ clip: String, at time: Double) throws -> URL {
        let picture = folder.appendingPathComponent("still-\(name).png")
        try Ffmpeg.make(picture, ["-ss", "\(time)", "-i", data.appendingPathComponent(clip).path, "-vf", Self.frame, "-frames:v", "1"])
        let out = folder.appendingPathComponent("still-\(name).mp4")
        try Ffmpeg.make(out, ["-loop", "1", "-i", picture.path, "-t", "10", "-vf", Self.frame] + Self.encode)
        return out
    }

    /// A photo printed on paper and held up: duller colours, less contrast, paper grain.
    func printed(_ name: String, _ clip: String, at time: Double) throws -> URL {
        let picture = folder.appendingPathComponent("still-\(name).png")
        let out = folder.appendingPathComponent("print-\(name).mp4")
        try Ffmpeg.make(out, ["-loop", "1", "-i", picture.path, "-t", "10",
                              "-vf", "\(Self.frame),\(Self.paper),noise=alls=14:allf=t+u"] + Self.encode)
        return out
    }

    /// Paper's duller colours and lower contrast (ffmpeg filters; the grain is added apart).
    static let paper = "hue=s=0.55,eq=contrast=0.8:brightness=0.04"
    /// A phone screen's gamma and saturation, and the moiré of its pixel grid against the camera's.
    static let screen = "eq=gamma=1.25:saturation=1.15,geq=lum='lum(X,Y)*(0.92+0.08*sin(0.8*X+0.35*Y))':cb='cb(X,Y)':cr='cr(X,Y)',gblur=sigma=0.6"

    /// The clip played on a screen and filmed: gamma and saturation of a phone screen, and
    /// the moiré of its pixel grid against the camera's.
    func simulatedReplay(_ name: String, _ clip: String) throws -> URL {
        let out = folder.appendingPathComponent("replay-\(name).mp4")
        try Ffmpeg.make(out, ["-i", data.appendingPathComponent(clip).path, "-t", "15",
                              "-vf", "\(Self.frame),\(Self.screen)"] + Self.encode)
        return out
    }

    /// The clip with its face tinted by each step's colour from 3 s + `delay` (the camera's delay).
    func tinted(_ name: String, _ clip: URL, _ box: Box, _ steps: [ColourFlash.Step], delay: Double) throws -> URL {
        let key = steps.map { "\($0.colour.rawValue.prefix(2))\($0.millis)" }.joined()
        let out = folder.appendingPathComponent("tinted-\(name)-\(key)-\(Int(delay * 1000)).mp4")
        let x = Int(box.x + 0.1 * box.width), y = Int(box.y + 0.2 * box.height), w = Int(0.8 * box.width), h = Int(0.7 * box.height)
        var at = Self.flashStart + delay
        var filters = [Self.frame]
        for step in steps {
            let end = at + Double(step.millis) / 1000
            let rgb = step.colour.rgb
            let colour = String(format: "0x%02X%02X%02X", Int(rgb.x * 255), Int(rgb.y * 255), Int(rgb.z * 255))
            filters.append("drawbox=x=\(x):y=\(y):w=\(w):h=\(h):color=\(colour)@0.25:t=fill:enable='between(t,\(at),\(end))'")
            at = end
        }
        try Ffmpeg.make(out, ["-i", clip.path, "-t", "12", "-vf", filters.joined(separator: ",")] + Self.encode)
        return out
    }

    /// A digital zoom in step with a near-far request: the frame at 1/1.6 of its size on a
    /// grey card, brought to its own size about the centre (or the reverse).
    func zoomed(_ name: String, _ input: [String], _ direction: NearFar.Direction) throws -> URL {
        let out = folder.appendingPathComponent("zoomed-\(name)-\(direction.rawValue).mp4")
        let request = NearFar(direction: direction)
        let progress = "min(max((t-\(request.holdFor))/\(request.moveFor),0),1)"
        let factor = direction == .farToNear ? "(1+0.6*\(progress))" : "(1+0.6*(1-\(progress)))"
        try Ffmpeg.make(out, input + ["-t", "8", "-vf", "\(Self.frame),scale=400:300,pad=640:480:120:90:color=gray,"
                                        + "scale=w='trunc(640*\(factor)/2)*2':h=-2:eval=frame,crop=640:480"] + Self.encode)
        return out
    }

    /// Where the simulated page starts the flash, in video seconds.
    static let flashStart = 3.0

    static func shown(_ flash: ColourFlash) -> [PADSample.FlashStep] {
        var at = flashStart
        var shown: [PADSample.FlashStep] = []
        for (index, step) in flash.steps.enumerated() {
            shown.append(.init(step: index, time: at))
            at += Double(step.millis) / 1000
        }
        return shown + [.init(step: -1, time: at)]
    }

    /// Proportions of the meshes, one per frame at 12 a second, as the phone moves from 45 to
    /// 28 cm (or back), or of the same meshes flattened.
    static func projected(_ meshes: [FaceMesh], _ request: NearFar, flat: Bool) -> [(time: Double, value: FaceProportions)] {
        let (from, to): (Float, Float) = request.direction == .farToNear ? (45, 28) : (28, 45)
        return meshes.enumerated().compactMap { index, mesh in
            let time = Double(index) / 12
            let distance = MeshProjection.distance(at: time, request: request, from: from, to: to)
            return MeshProjection().proportions(mesh, distance: distance, flat: flat).map { (time, $0) }
        }
    }
}
