import Fluent
import Foundation

/// Appends to the API call log. A failure to log never fails the call itself.
public enum CallLog {
    public static func record(_ caller: APICaller, requestID: String, action: String, code: Int, latencyMs: Double,
                              engine: String?, callerIP: String, on db: any Database) async {
        let entry = CallLogModel(organisationID: caller.organisationID, applicationID: caller.applicationID,
                                 requestID: requestID, action: action, code: code, latencyMs: latencyMs,
                                 engine: engine, callerIP: callerIP, time: Date())
        do { try await entry.create(on: db) } catch {
            db.logger.error("call log write failed: \(error)")
        }
    }
}
