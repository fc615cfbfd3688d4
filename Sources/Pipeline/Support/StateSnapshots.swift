import Foundation
import Synchronization
import Tickets

/// Decides when a progress snapshot is worth writing into the ticket's stored state details, so
/// `GET /tickets/{id}` follows the work: a converting ticket's current track whenever it changes,
/// a download's figures at most every `downloadInterval`.
final class StateSnapshots: Sendable {
    private let downloadInterval: TimeInterval
    private let current = Mutex<[String: (state: TicketState, writtenAt: Date)]>([:])

    init(downloadInterval: TimeInterval = 5) {
        self.downloadInterval = downloadInterval
    }

    /// The state the ticket just entered, as stored.
    func begin(_ ticketId: String, _ state: TicketState, now: Date = Date()) {
        current.withLock { $0[ticketId] = (state, now) }
    }

    func forget(_ ticketId: String) {
        _ = current.withLock { $0.removeValue(forKey: ticketId) }
    }

    /// The refreshed state to store for this progress payload, or nil when nothing needs writing.
    func update(_ ticketId: String, with payload: JSONValue, now: Date = Date()) -> TicketState? {
        current.withLock { all in
            guard let entry = all[ticketId] else { return nil }
            var next: TicketState?
            switch entry.state {
            case .downloading(var details) where payload["stage"]?.stringValue == "downloading":
                guard now.timeIntervalSince(entry.writtenAt) >= downloadInterval else { return nil }
                details.progressPct = payload["percent"]?.doubleValue ?? details.progressPct
                details.downloadSpeedBps = Int64(payload["download_rate"]?.doubleValue ?? 0)
                details.etaSecs = payload["eta_secs"]?.intValue
                next = .downloading(details)
            case .converting(var details) where payload["stage"]?.stringValue == "converting":
                guard let index = payload["current_track_idx"]?.intValue, index != details.currentTrackIdx else { return nil }
                details.currentTrackIdx = index
                details.currentTrackName = payload["current_track_name"]?.stringValue ?? details.currentTrackName
                next = .converting(details)
            default:
                return nil
            }
            if let next { all[ticketId] = (next, now) }
            return next
        }
    }
}
