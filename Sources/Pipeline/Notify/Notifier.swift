import Basics
import Foundation
import Logging
import Search
import ServiceLifecycle
import Storage
import Synchronization
import Tickets

/// Tells `[[notify]]` targets when a ticket completes, fails or waits for a person: webhooks get a
/// JSON POST (retried with backoff, signed when a secret is set), Subsonic servers a library scan
/// after a completion (at most one per interval). It listens to the event bus and works on its own
/// tasks: a slow or failing target never holds up or fails a ticket; its last error shows in the
/// health checks.
public final class Notifier: Service, Sendable {
    let targets: [NotifyTarget]
    let database: any TicketStore
    let events: EventBus
    let fetcher: HTTPFetcher
    let logger: Logger
    /// Seconds before retry `n` (1-based): 1, 2, 4… (tests shorten it).
    let backoff: @Sendable (Int) -> Double

    /// What each target last did, by target index.
    public struct TargetStatus: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
        public var lastError: String?
        public var lastErrorAt: Date?
        public var lastSuccessAt: Date?
    }

    private let statuses: Mutex<[Int: TargetStatus]>
    /// Subsonic scan pacing, by target index: when the last scan ran, and whether one is already waiting.
    private let scans = Mutex<[Int: (last: Date?, waiting: Bool)]>([:])

    public init(
        targets: [NotifyTarget], database: any TicketStore, events: EventBus, fetcher: HTTPFetcher = HTTPFetcher(connectTimeout: 5, totalTimeout: 15),
        logger: Logger = Logger(label: "downloader2.notify"), backoff: @escaping @Sendable (Int) -> Double = { pow(2, Double($0 - 1)) }
    ) {
        self.targets = targets
        self.database = database
        self.events = events
        self.fetcher = fetcher
        self.logger = logger
        self.backoff = backoff
        statuses = Mutex(Dictionary(uniqueKeysWithValues: targets.indices.map { ($0, TargetStatus()) }))
    }

    /// Each target with what it last did.
    public func status() -> [(target: NotifyTarget, status: TargetStatus)] {
        let current = statuses.withLock { $0 }
        return targets.enumerated().map { ($0.element, current[$0.offset] ?? TargetStatus()) }
    }

    public func run() async throws {
        // A service that ends early would stop the whole group: with nothing to notify, it waits for shutdown.
        guard !targets.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        let stream = events.subscribe()
        await withTaskGroup(of: Void.self) { group in
            for await event in stream.cancelOnGracefulShutdown() {
                guard event.type == .stateChange, let state = event.payload["new_state"]?.stringValue,
                    NotifyTarget.allEvents.contains(state)
                else { continue }
                for (index, target) in targets.enumerated() {
                    switch target.kind {
                    case .webhook where target.events.contains(state):
                        group.addTask { await self.deliverWebhook(event, state: state, to: target, index: index) }
                    case .subsonic where state == "completed":
                        group.addTask { await self.scan(target, index: index) }
                    default:
                        continue
                    }
                }
            }
            group.cancelAll()
        }
    }

    // MARK: Webhooks

    /// The body a webhook receives.
    func webhookBody(_ event: TicketEvent, state: String) async -> JSONValue {
        var body: [String: JSONValue] = [
            "event": .string(state), "ticket_id": .string(event.ticketId), "state": .string(state), "seq": .number(Double(event.seq)),
            "at": .string(ISO8601DateFormatter().string(from: event.at)),
        ]
        let stored = try? await database.ticket(id: event.ticketId)
        if let ticket = stored?.ticket {
            var album: [String: JSONValue] = ["artist": .string(ticket.search.artist), "album": .string(ticket.search.album)]
            if let year = ticket.search.year { album["year"] = .number(Double(year)) }
            body["album"] = .object(album)
        }
        // What the state said when it was entered (the ticket may have moved on since), from the event.
        let details = event.payload["details"] ?? .null
        switch state {
        case "completed":
            let placed = ((try? await database.downloadFiles(ticketId: event.ticketId)) ?? []).filter { $0.type.hasPrefix("placed_") }
            body["files"] = .array(
                placed.map {
                    .object(["path": .string($0.path), "sha256": $0.sha256.map(JSONValue.string) ?? .null, "size": .number(Double($0.size))])
                })
            if case .array(let missing)? = details["missing"], !missing.isEmpty { body["missing"] = .array(missing) }
        case "failed":
            body["error"] = .object([
                "code": details["code"] ?? .null, "message": details["error"] ?? .null, "retryable": details["retryable"] ?? .null,
            ])
        case "wanted":
            for key in ["reason", "next_search_at", "searches"] { body[key] = details[key] ?? .null }
        case "needs_approval":
            body["reason"] = details["reason"] ?? .null
            if case .array(let candidates)? = details["candidates"] { body["candidates"] = .number(Double(candidates.count)) }
        default:
            break
        }
        return .object(body)
    }

    func deliverWebhook(_ event: TicketEvent, state: String, to target: NotifyTarget, index: Int) async {
        let body = await webhookBody(event, state: state)
        let bytes = (try? TicketJSON.encoder().encode(body)) ?? Data("{}".utf8)
        var headers = [
            "Content-Type: application/json", "X-Downloader2-Event: \(state)", "X-Downloader2-Delivery: \(event.ticketId)-\(event.seq)",
        ]
        if !target.secret.isEmpty {
            headers.append("X-Downloader2-Signature: sha256=" + Digests.hmacSHA256Hex(key: Array(target.secret.utf8), message: Array(bytes)))
        }
        let signed = headers
        await attempt(target, index: index, what: "\(state) of ticket \(event.ticketId)") {
            _ = try await self.fetcher.post(target.url, headers: signed, body: bytes)
        }
    }

    // MARK: Subsonic

    /// A library scan after a completion; completions within `scanIntervalSecs` of a scan share one
    /// scan at the end of the interval.
    func scan(_ target: NotifyTarget, index: Int) async {
        let now = Date()
        let wait: Double? = scans.withLock { pacing in
            var state = pacing[index] ?? (last: nil, waiting: false)
            defer { pacing[index] = state }
            if state.waiting { return nil }
            let elapsed = state.last.map { now.timeIntervalSince($0) } ?? .infinity
            if elapsed >= target.scanIntervalSecs {
                state.last = now
                return 0
            }
            state.waiting = true
            return target.scanIntervalSecs - elapsed
        }
        guard let wait else { return }
        if wait > 0 {
            try? await Task.sleep(for: .seconds(wait))
            scans.withLock { $0[index] = (last: Date(), waiting: false) }
        }
        await attempt(target, index: index, what: "library scan") {
            let salt = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased()
            let token = Digests.md5Hex(Array((target.password + salt).utf8))
            var components = URLComponents(string: target.url.hasSuffix("/") ? String(target.url.dropLast()) : target.url)
            components?.path += "/rest/startScan"
            components?.queryItems = [
                URLQueryItem(name: "u", value: target.username), URLQueryItem(name: "t", value: token), URLQueryItem(name: "s", value: salt),
                URLQueryItem(name: "v", value: "1.16.1"), URLQueryItem(name: "c", value: "downloader2"), URLQueryItem(name: "f", value: "json"),
            ]
            guard let url = components?.string else { throw FetchError.invalidURL(target.name) }
            let answer = try await self.fetcher.get(url)
            guard case .body(let data, _, _, _) = answer, let json = try? JSONValue(json: data), let response = json["subsonic-response"] else {
                throw NotifyFailure(message: "the server's answer is not a Subsonic response")
            }
            guard response["status"]?.stringValue == "ok" else {
                throw NotifyFailure(
                    message:
                        "the server refused: \(response["error"]?["message"]?.stringValue ?? "status \(response["status"]?.stringValue ?? "missing")")"
                )
            }
        }
    }

    struct NotifyFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    // MARK: Retries and status

    /// Runs `call` up to the target's attempts, with backoff between; records the outcome.
    private func attempt(_ target: NotifyTarget, index: Int, what: String, _ call: @Sendable () async throws -> Void) async {
        var lastError = ""
        for attempt in 1...target.attempts {
            do {
                try await call()
                statuses.withLock { s in
                    s[index, default: TargetStatus()].delivered += 1
                    s[index, default: TargetStatus()].lastSuccessAt = Date()
                }
                if attempt > 1 { logger.info("notify \(target.name): \(what) delivered on attempt \(attempt)") }
                return
            } catch {
                lastError = Secrets.shared.redact("\(error)")
                logger.notice("notify \(target.name): \(what), attempt \(attempt) of \(target.attempts) failed: \(lastError)")
                if attempt < target.attempts {
                    do { try await Task.sleep(for: .seconds(backoff(attempt))) } catch { break }
                }
            }
        }
        statuses.withLock { s in
            s[index, default: TargetStatus()].failed += 1
            s[index, default: TargetStatus()].lastError = "\(what): \(lastError)"
            s[index, default: TargetStatus()].lastErrorAt = Date()
        }
        logger.warning("notify \(target.name): \(what) given up after \(target.attempts) attempts: \(lastError)")
    }
}
