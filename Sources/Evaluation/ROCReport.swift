import FaceServices
import Foundation

/// ROC curves (TAR against FAR) of each method as CSV and as an SVG plot with a log FAR axis.
public struct ROCReport: Sendable {
    public struct Curve: Sendable {
        public var method: String
        /// (threshold, FAR, TAR), FAR descending.
        public var points: [(threshold: Float, far: Double, tar: Double)]
    }

    public var curves: [Curve]

    /// Builds curves at thresholds spaced evenly in log FAR, from all different-person
    /// pairs among the images (FAR) and the protocol's same-person pairs (TAR).
    public static func build(methods: [(String, impostors: [Float], genuine: [Float])]) -> ROCReport {
        let levels = stride(from: 0.0, through: -6.0, by: -0.1).map { pow(10.0, $0) }
        let curves = methods.map { name, impostors, genuine -> Curve in
            let sortedImpostors = impostors.sorted(by: >)
            let sortedGenuine = genuine.sorted(by: >)
            let points = levels.compactMap { far -> (Float, Double, Double)? in
                let index = Int(Double(sortedImpostors.count) * far)
                guard index < sortedImpostors.count, index >= 1 || far * Double(sortedImpostors.count) >= 1 else { return nil }
                let threshold = sortedImpostors[max(index - 1, 0)]
                let accepted = sortedGenuine.prefix { $0 > threshold }.count
                return (threshold, far, Double(accepted) / Double(max(sortedGenuine.count, 1)))
            }
            return Curve(method: name, points: points)
        }
        return ROCReport(curves: curves)
    }

    public var csv: String {
        var lines = ["method,threshold,far,tar"]
        for curve in curves {
            for p in curve.points { lines.append("\(curve.method),\(p.threshold),\(p.far),\(p.tar)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var svg: String {
        let width = 640.0, height = 440.0, left = 60.0, right = 20.0, top = 20.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let minTar = max(0, (curves.flatMap { $0.points.map(\.tar) }.min() ?? 0.9) - 0.01)
        func x(_ far: Double) -> Double { left + (log10(far) + 6) / 6 * plotW }
        func y(_ tar: Double) -> Double { top + (1 - (tar - minTar) / (1 - minTar)) * plotH }
        let colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"]
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <rect x="\(left)" y="\(top)" width="\(plotW)" height="\(plotH)" fill="none" stroke="#333"/>

        """
        for e in 0...6 {
            let far = pow(10.0, Double(-e))
            svg += "<line x1=\"\(x(far))\" y1=\"\(top)\" x2=\"\(x(far))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(x(far))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">1e-\(e)</text>\n"
        }
        for i in 0...5 {
            let tar = minTar + (1 - minTar) * Double(i) / 5
            svg += "<line x1=\"\(left)\" y1=\"\(y(tar))\" x2=\"\(left + plotW)\" y2=\"\(y(tar))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tar) + 4)\" text-anchor=\"end\">\(String(format: "%.3f", tar))</text>\n"
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">false accept rate (log)</text>\n"
        svg += "<text x=\"14\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 14 \(top + plotH / 2))\" text-anchor=\"middle\">true accept rate</text>\n"
        for (i, curve) in curves.enumerated() {
            let path = curve.points.map { "\(x($0.far)),\(y($0.tar))" }.joined(separator: " ")
            let colour = colours[i % colours.count]
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            svg += "<text x=\"\(left + 10)\" y=\"\(top + plotH - 10 - Double(curves.count - 1 - i) * 16)\" fill=\"\(colour)\">\(curve.method)</text>\n"
        }
        return svg + "</svg>\n"
    }
}

extension LFWEvaluation {
    /// ROC over all different-person pairs of the images and all same-person pairs of the
    /// protocol, under one calibration made from those same images (descriptive only).
    public func roc() -> ROCReport {
        let all = embeddings.entries.keys.sorted()
        let comparator = FaceComparator(calibration: calibration(among: all))
        let cosines = impostors(among: all)
        let genuine = pairs.pairs.filter(\.same).map { (sface.row[$0.first]!, sface.row[$0.second]!) }
        return ROCReport.build(methods: Method.allCases.map { method in
            (method.rawValue, methodScores(method, cosines, comparator), genuine.map { score(method, $0.0, $0.1, comparator) })
        })
    }

    /// Swift source of `CompareCalibration.shipped`, calibrated on every image.
    public func shippedCalibrationSource() -> String {
        let c = calibration(among: embeddings.entries.keys.sorted())
        func map(_ m: ScoreMap) -> String {
            "ScoreMap(anchors: [\n" + m.anchors.map { "            .init(raw: \($0.raw), score: \($0.score))," }.joined(separator: "\n") + "\n        ])"
        }
        return """
        // Generated by `veriface eval lfw --calibrate` (see README); do not edit by hand.
        extension CompareCalibration {
            public static let shipped = CompareCalibration(
                sface: \(map(c.sface)),
                dlib: \(map(c.dlib)),
                fused: \(map(c.fused)),
                fusionBand: \(c.fusionBand.lowerBound)...\(c.fusionBand.upperBound))
        }

        """
    }
}
