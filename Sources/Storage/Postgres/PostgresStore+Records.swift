import Foundation
import Logging
import PostgresNIO
import Tickets

// Files, candidates, the blocklist and settings: the same rows as SQLite's, nothing leased.
extension PostgresStore {
    public func recordDownloadFile(_ file: DownloadFileRecord) async throws {
        try await run { client, logger in
            try await client.query(
                """
                INSERT INTO download_file (ticket_id, path, size, type, sha256, verified_at)
                VALUES (\(file.ticketId), \(file.path), \(file.size), \(file.type), \(file.sha256), \(file.verifiedAt))
                ON CONFLICT (ticket_id, path) DO UPDATE SET size = EXCLUDED.size, type = EXCLUDED.type, sha256 = EXCLUDED.sha256,
                    verified_at = EXCLUDED.verified_at
                """, logger: logger)
        }
    }

    public func recordedHashes(paths: [String]) async throws -> [String: String] {
        try await run { client, logger in
            var hashes: [String: String] = [:]
            for try await (path, sha) in try await client.query(
                "SELECT path, sha256 FROM download_file WHERE path = ANY(\(paths)) AND sha256 IS NOT NULL ORDER BY id", logger: logger
            )
            .decode((String, String).self) {
                hashes[path] = sha
            }
            return hashes
        }
    }

    public func downloadFiles(ticketId: String) async throws -> [DownloadFileRecord] {
        try await run { client, logger in
            var files: [DownloadFileRecord] = []
            for try await (id, path, size, type, sha, verified) in try await client.query(
                """
                SELECT id, path, size, type, sha256, verified_at FROM download_file WHERE ticket_id = \(ticketId) ORDER BY path
                """, logger: logger
            ).decode((Int64, String, Int64, String, String?, Date?).self) {
                var file = DownloadFileRecord(ticketId: ticketId, path: path, size: size, type: type, sha256: sha, verifiedAt: verified)
                file.id = id
                files.append(file)
            }
            return files
        }
    }

    public func saveCandidates(ticketId: String, _ candidates: [TorrentCandidate], scores: [Double?]?, at now: Date) async throws {
        let encoder = TicketJSON.encoder()
        let rows = try candidates.enumerated().map { i, c in
            (c.infoHash.lowercased(), c.title, c.indexer, scores?[i], try StoredText.json(String(decoding: try encoder.encode(c), as: UTF8.self)))
        }
        try await transaction { connection in
            try await connection.query("DELETE FROM candidate WHERE ticket_id = \(ticketId)", logger: self.logger)
            for (hash, title, indexer, score, payload) in rows {
                try await connection.query(
                    """
                    INSERT INTO candidate (ticket_id, info_hash, title, indexer, score, payload, created_at)
                    VALUES (\(ticketId), \(hash), \(title), \(indexer), \(score), \(payload), \(now))
                    ON CONFLICT (ticket_id, info_hash) DO UPDATE SET title = EXCLUDED.title, indexer = EXCLUDED.indexer,
                        score = EXCLUDED.score, payload = EXCLUDED.payload, created_at = EXCLUDED.created_at
                    """, logger: self.logger)
            }
        }
    }

    public func candidates(ticketId: String) async throws -> [TorrentCandidate] {
        try await run { client, logger in
            var out: [TorrentCandidate] = []
            for try await payload in try await client.query(
                "SELECT payload FROM candidate WHERE ticket_id = \(ticketId) ORDER BY score DESC NULLS LAST, id", logger: logger
            ).decode(String.self) {
                out.append(try TicketJSON.decoder().decode(TorrentCandidate.self, from: Data(payload.utf8)))
            }
            return out
        }
    }

    public func blocklist() async throws -> [BlocklistEntry] {
        try await run { client, logger in
            var out: [BlocklistEntry] = []
            for try await (hash, title, reason, evidence, artist, album, source, ticketId, createdAt) in try await client.query(
                """
                SELECT info_hash, title, reason, evidence, artist, album, source, ticket_id, created_at FROM blocklist ORDER BY created_at DESC, added DESC
                """, logger: logger
            ).decode((String, String?, String, String, String?, String?, String, String?, Date).self) {
                out.append(
                    BlocklistEntry(
                        infoHash: hash, title: title, reason: reason, evidence: (try? JSONValue(json: Data(evidence.utf8))) ?? .object([:]),
                        artist: artist, album: album, source: source, ticketId: ticketId, createdAt: createdAt))
            }
            return out
        }
    }

    public func addToBlocklist(_ entry: BlocklistEntry) async throws {
        let r = try BlocklistRecord(entry)
        try await run { client, logger in
            try await client.query(
                """
                INSERT INTO blocklist (info_hash, title, reason, evidence, artist, album, source, ticket_id, created_at)
                VALUES (\(r.infoHash), \(r.title), \(r.reason), \(r.evidence), \(r.artist), \(r.album), \(r.source), \(r.ticketId), \(r.createdAt))
                ON CONFLICT (info_hash) DO UPDATE SET title = EXCLUDED.title, reason = EXCLUDED.reason, evidence = EXCLUDED.evidence,
                    artist = EXCLUDED.artist, album = EXCLUDED.album, source = EXCLUDED.source, ticket_id = EXCLUDED.ticket_id,
                    created_at = EXCLUDED.created_at, added = nextval(pg_get_serial_sequence('blocklist', 'added'))
                """, logger: logger)
        }
    }

    @discardableResult
    public func removeFromBlocklist(infoHash: String) async throws -> Bool {
        try await run { client, logger in
            var removed = false
            for try await _ in try await client.query(
                "DELETE FROM blocklist WHERE info_hash = \(infoHash.lowercased()) RETURNING info_hash", logger: logger)
            {
                removed = true
            }
            return removed
        }
    }

    public func isBlocklisted(infoHash: String) async throws -> Bool {
        try await run { client, logger in
            var found = false
            for try await _ in try await client.query("SELECT 1 FROM blocklist WHERE info_hash = \(infoHash.lowercased())", logger: logger) {
                found = true
            }
            return found
        }
    }

    public func setting(_ key: String) async throws -> String? {
        try await run { client, logger in
            var value: String?
            for try await v in try await client.query("SELECT value FROM setting WHERE key = \(key)", logger: logger).decode(String.self) {
                value = v
            }
            return value
        }
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await run { client, logger in
            try await client.query(
                "INSERT INTO setting (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", logger: logger)
        }
    }
}

// Nodes: heartbeats, lease renewal, the announcements of other nodes' events.
extension PostgresStore {
    /// Records that this node is alive and renews the leases it holds. Returns the tickets whose
    /// lease it has lost (taken over after it expired, or ended by an operator on another node):
    /// their workers must stop.
    public func heartbeat() async throws -> Set<String> {
        let (node, lease, mine) = (options.nodeId, options.leaseSecs, held.withLock { $0 })
        let (downloads, address, now) = (options.maxParallelDownloads, options.address, databaseNow)
        let renewed = try await run { client, logger in
            try await client.query(
                """
                INSERT INTO node (id, started_at, heartbeat_at, max_parallel_downloads, address)
                VALUES (\(node), \(unescaped: now), \(unescaped: now), \(downloads), \(address))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, max_parallel_downloads = EXCLUDED.max_parallel_downloads,
                    address = EXCLUDED.address
                """, logger: logger)
            var renewed: [String: Int64] = [:]
            for try await (id, version) in try await client.query(
                """
                UPDATE ticket SET lease_expires = \(unescaped: now) + make_interval(secs => \(lease))
                WHERE lease_node = \(node) AND id = ANY(\(Array(mine.keys)))
                RETURNING id, lease_version
                """, logger: logger
            ).decode((String, Int64).self) {
                renewed[id] = version
            }
            return renewed
        }
        let missing = mine.filter { renewed[$0.key] != $0.value }
        guard !missing.isEmpty else { return [] }
        // Only leases that are still the ones checked are lost: one ended by its worker meanwhile,
        // or claimed again under a new version, is not.
        return held.withLock { current in
            var lost = Set<String>()
            for (id, version) in missing where current[id] == version {
                current.removeValue(forKey: id)
                lost.insert(id)
            }
            return lost
        }
    }

    /// Marks this node as started (its row in `GET /api/v1/nodes`).
    public func registerNode() async throws {
        let (node, downloads, address, now) = (options.nodeId, options.maxParallelDownloads, options.address, databaseNow)
        try await run { client, logger in
            try await client.query(
                """
                INSERT INTO node (id, started_at, heartbeat_at, max_parallel_downloads, address)
                VALUES (\(node), \(unescaped: now), \(unescaped: now), \(downloads), \(address))
                ON CONFLICT (id) DO UPDATE SET started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at,
                    max_parallel_downloads = EXCLUDED.max_parallel_downloads, address = EXCLUDED.address
                """, logger: logger)
        }
    }

    public func nodes() async throws -> [NodeStatus] {
        let (lease, now) = (options.leaseSecs, databaseNow)
        return try await run { client, logger in
            var held: [String: [String]] = [:]
            for try await (node, id) in try await client.query(
                """
                SELECT lease_node, id FROM ticket WHERE lease_node IS NOT NULL AND lease_expires > \(unescaped: now) ORDER BY id
                """, logger: logger
            ).decode((String, String).self) {
                held[node, default: []].append(id)
            }
            var out: [NodeStatus] = []
            for try await (id, started, heartbeat, downloads, address, alive) in try await client.query(
                """
                SELECT id, started_at, heartbeat_at, max_parallel_downloads, address,
                    heartbeat_at > \(unescaped: now) - make_interval(secs => \(lease)) FROM node ORDER BY id
                """, logger: logger
            ).decode((String, Date, Date, Int, String, Bool).self) {
                out.append(
                    NodeStatus(
                        id: id, startedAt: started, heartbeatAt: heartbeat, alive: alive, maxParallelDownloads: downloads, address: address,
                        tickets: held[id] ?? []))
            }
            return out
        }
    }

    /// Whether this node hears other nodes' events now: its `LISTEN` is active and what was stored
    /// before it has been read. An event stored after this turns true reaches ``announcements``.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Listens for the announcements of stored events until cancelled, reconnecting after an outage.
    /// Each one moves the ticket generation on; those written by other nodes go to ``announcements``.
    /// After a reconnection, the events stored meanwhile are announced from the table.
    func listen() async {
        var lastId: Int64?
        while !migrated.load(ordering: .acquiring) {
            do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
        }
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.eventChannel) { notifications in
                        // Listening from here on; what was stored while not listening is read now.
                        lastId = try await self.catchUp(connection, after: lastId)
                        self.listening.store(true, ordering: .releasing)
                        defer { self.listening.store(false, ordering: .releasing) }
                        for try await notification in notifications {
                            self.generation.add(1, ordering: .releasing)
                            let parts = notification.payload.split(separator: "\t", omittingEmptySubsequences: false)
                            guard parts.count == 4, let seq = Int(parts[1]), let id = Int64(parts[3]) else { continue }
                            if id > 0 { lastId = max(lastId ?? id, id) }
                            guard seq > 0, String(parts[2]) != self.options.nodeId else { continue }
                            self.announced.yield(TicketAnnouncement(ticketId: String(parts[0]), seq: seq, node: String(parts[2])))
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for other nodes' events failed (\(String(reflecting: error))); trying again in 1 s")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Announces the events other nodes stored after `lastId` (all of them: nothing, the first time)
    /// and returns the newest event id.
    func catchUp(_ connection: PostgresConnection, after lastId: Int64?) async throws -> Int64? {
        var newest = lastId
        let node = options.nodeId
        if let lastId {
            for try await (id, ticketId, seq, writer) in try await connection.query(
                """
                SELECT id, ticket_id, seq, node FROM ticket_event WHERE id > \(lastId) ORDER BY id
                """, logger: logger
            ).decode((Int64, String, Int, String).self) {
                newest = max(newest ?? id, id)
                if writer != node { announced.yield(TicketAnnouncement(ticketId: ticketId, seq: seq, node: writer)) }
            }
            generation.add(1, ordering: .releasing)
        } else {
            for try await id in try await connection.query("SELECT COALESCE(MAX(id), 0) FROM ticket_event", logger: logger).decode(Int64.self) {
                newest = id
            }
        }
        return newest
    }
}
