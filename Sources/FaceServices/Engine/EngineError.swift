import EngineBridge

/// A failure inside the face engines, with the bridge's own explanation.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case undecodableImage(String)
    case modelUnavailable(String)
    case invalidArgument(String)
    case engineFailure(String)
    case featureUnavailable(String)

    init(status: vf_status, message: String) {
        switch status {
        case VF_ERR_DECODE: self = .undecodableImage(message)
        case VF_ERR_MODEL: self = .modelUnavailable(message)
        case VF_ERR_ARGUMENT: self = .invalidArgument(message)
        case VF_ERR_UNAVAILABLE: self = .featureUnavailable(message)
        default: self = .engineFailure(message)
        }
    }

    public var description: String {
        switch self {
        case .undecodableImage(let m): "undecodable image: \(m)"
        case .modelUnavailable(let m): "model unavailable: \(m)"
        case .invalidArgument(let m): "invalid argument: \(m)"
        case .engineFailure(let m): "engine failure: \(m)"
        case .featureUnavailable(let m): "not available: \(m)"
        }
    }
}

/// Calls a bridge function that reports failures through a `vf_message`.
func bridged(_ call: (UnsafeMutablePointer<vf_message>) -> vf_status) throws(EngineError) {
    var message = vf_message()
    let status = call(&message)
    guard status != VF_OK else { return }
    let text = withUnsafeBytes(of: &message.text) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    throw EngineError(status: status, message: text)
}
