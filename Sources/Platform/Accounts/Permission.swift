/// Named permissions; roles are sets of these.
public enum Permission: String, Codable, Sendable, CaseIterable {
    case orgRead = "org.read"
    case orgWrite = "org.write"
    case userRead = "user.read"
    case userWrite = "user.write"
    case roleWrite = "role.write"
    case appRead = "app.read"
    case appWrite = "app.write"
    case logRead = "log.read"
    case auditRead = "audit.read"
    case verificationRead = "verification.read"

    public var summary: String {
        switch self {
        case .orgRead: "See the organisation tree"
        case .orgWrite: "Create, rename and delete organisations"
        case .userRead: "See users and roles"
        case .userWrite: "Create, change and delete users"
        case .roleWrite: "Create, change and delete roles"
        case .appRead: "See applications and credentials"
        case .appWrite: "Create applications, issue, rotate and disable credentials"
        case .logRead: "Read the API call log"
        case .auditRead: "Read the audit log"
        case .verificationRead: "See liveness verification records"
        }
    }
}

/// The roles every new database starts with.
public enum BuiltInRole: String, CaseIterable, Sendable {
    case administrator = "Administrator"
    case operator_ = "Operator"
    case auditor = "Auditor"

    public var permissions: [Permission] {
        switch self {
        case .administrator: Permission.allCases
        case .operator_: [.orgRead, .appRead, .appWrite, .logRead, .verificationRead]
        case .auditor: [.orgRead, .userRead, .logRead, .auditRead, .verificationRead]
        }
    }
}
