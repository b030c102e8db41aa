import Foundation

/// The record's JSON columns as domain values, read the same way by the API, the page
/// session and the console. A column that does not decode (a record written by a newer
/// version, or damaged) reads as empty rather than failing the whole record.
extension VerificationModel {
    public var storedTimeline: Timeline {
        (try? JSONDecoder().decode(Timeline.self, from: Data(timelineJSON.utf8))) ?? Timeline()
    }

    public var storedChallenge: Challenge? {
        try? JSONDecoder().decode(Challenge.self, from: Data(challengeJSON.utf8))
    }

    /// Blob ids of the audit frames, oldest first.
    public var storedAuditFrameIDs: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(auditFrameBlobsJSON.utf8))) ?? []
    }
}
