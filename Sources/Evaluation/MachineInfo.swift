import Foundation

/// The machine a figure was measured on, printed with every benchmark and evaluation.
public struct MachineInfo: Sendable, Codable {
    public var cpu: String
    public var cores: Int
    public var memoryGiB: Double
    public var os: String

    public static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let pretty = release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        return MachineInfo(
            cpu: model ?? "unknown CPU", cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            os: pretty ?? "Linux")
    }

    public var line: String { "machine: \(cpu), \(cores) cores, \(memoryGiB) GiB, \(os)" }
}
