import Foundation

/// Where the installed model files live (written by `scripts/install-models`).
public enum ModelLocation {
    /// `$VERIFACE_MODELS`, else `$XDG_DATA_HOME/veriface/models`, else `~/.local/share/veriface/models`.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["VERIFACE_MODELS"], !explicit.isEmpty { return explicit }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/veriface/models"
    }
}
