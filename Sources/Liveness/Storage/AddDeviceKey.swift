import Fluent

/// Each attempt's device (`VerificationService.deviceKey`), so that failed attempts can be
/// counted per device (SceneRules.deviceAttemptLimit).
struct AddDeviceKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VerificationModel.schema).field("device_key", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VerificationModel.schema).deleteField("device_key").update()
    }
}
