import Audio
import Basics
import Foundation
import Pipeline
import Search

/// What breaks a NAS install, checked the same way by `downloader2 doctor` and by `serve` (every
/// `[health] interval_mins`): media roots writable, free space, one file system or not, indexers
/// answering and accepting their keys, the BitTorrent port, the libav encoders.
public enum HealthChecks {
    /// Runs every check. `listenPort` is false inside `serve`, whose own engine holds the port.
    public static func run(_ config: AppConfig, listenPort: Bool = true, indexers health: IndexerHealth? = nil) async -> [HealthCheck] {
        var checks: [HealthCheck] = []
        checks += config.placer.mediaRoots.map(mediaRoot)
        checks += freeSpace(config)
        checks += sameFileSystem(config)
        checks += await indexers(config, health: health)
        if listenPort { checks += listenPorts(config.torrent.listenInterfaces) }
        checks += encoders()
        return checks
    }

    /// The disk budget for seeding, from the payload cleaner's last sweep: over it with payloads still
    /// short of their goal, a warning per torrent says what is left (nothing is removed silently).
    public static func seeding(_ verdict: SeedingBudgetReport.Verdict?) -> [HealthCheck] {
        guard let verdict, verdict.budgetBytes > 0 else { return [] }
        let kept = ByteCountFormatter.string(fromByteCount: verdict.keptBytes, countStyle: .decimal)
        let budget = ByteCountFormatter.string(fromByteCount: verdict.budgetBytes, countStyle: .decimal)
        guard verdict.keptBytes > verdict.budgetBytes else {
            return [HealthCheck("seeding_budget", "[seeding] max_disk_gb", .ok, "\(kept) kept for seeding, within \(budget)")]
        }
        guard !verdict.overBudgetShortOfGoal.isEmpty else {
            return [
                HealthCheck(
                    "seeding_budget", "[seeding] max_disk_gb", .warning,
                    "\(kept) kept for seeding, over the budget of \(budget): the payloads whose goal is met could not all be removed",
                    hint: "see the log for the torrents that could not be removed")
            ]
        }
        return verdict.overBudgetShortOfGoal.map { entry in
            HealthCheck(
                "seeding_budget", "\(Secrets.shared.redact(entry.torrent.name)) (\(entry.torrent.infoHash))", .warning,
                "payloads kept for seeding take \(kept), over the budget of \(budget); this one is kept: its goal is not met (\(entry.remainingText), \(entry.torrent.goal.source.isEmpty ? "default goal" : entry.torrent.goal.source))",
                hint: "raise [seeding] max_disk_gb, free space, or wait for the goal; a private tracker counts leaving early as a hit-and-run")
        }
    }

    static func mediaRoot(_ root: String) -> HealthCheck {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            return HealthCheck(
                "media_root", root, .error, "does not exist",
                hint: "create it, or fix [placer] media_roots (a share that is not mounted looks like this too)")
        }
        guard isDirectory.boolValue else {
            return HealthCheck("media_root", root, .error, "is not a directory", hint: "[placer] media_roots must name directories")
        }
        let probe = (root as NSString).appendingPathComponent(".downloader2-probe-\(UUID().uuidString.prefix(8))")
        do {
            try writeWholeFile(atPath: probe, Array("probe".utf8))
        } catch {
            return HealthCheck(
                "media_root", root, .error, "is not writable by uid \(getuid()): \(String(cString: strerror(error.errno)))",
                hint: "give the service's user write access (see the README's drop-in for the share user), or remount it read-write")
        }
        unlink(probe)
        return HealthCheck("media_root", root, .ok, "exists and is writable")
    }

    /// The nearest existing folder of `path` (a download folder is created at first use).
    static func existing(_ path: String) -> String {
        var current = path
        while !FileManager.default.fileExists(atPath: current), current != "/", !current.isEmpty {
            current = (current as NSString).deletingLastPathComponent
        }
        return current.isEmpty ? "." : current
    }

    static func freeSpace(_ config: AppConfig) -> [HealthCheck] {
        let floor = UInt64(config.health.minFreeMb) << 20
        let places = [("download", config.torrent.downloadPath), ("temp", config.converter.tempDir)] + config.placer.mediaRoots.map { ("media", $0) }
        return places.map { kind, path in
            var stats = statvfs()
            guard statvfs(existing(path), &stats) == 0 else {
                return HealthCheck("free_space", path, .error, "cannot read the file system's free space: \(String(cString: strerror(errno)))")
            }
            let free = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
            let text = "\(free >> 20) MiB free on the \(kind) file system"
            guard free >= floor else {
                return HealthCheck(
                    "free_space", path, .error, text + ", below the floor of \(config.health.minFreeMb) MiB",
                    hint: "free space there, or lower [health] min_free_mb")
            }
            return HealthCheck("free_space", path, .ok, text)
        }
    }

    static func sameFileSystem(_ config: AppConfig) -> [HealthCheck] {
        func device(_ path: String) -> UInt64? {
            var info = stat()
            return stat(existing(path), &info) == 0 ? UInt64(info.st_dev) : nil
        }
        let temp = device(config.converter.tempDir)
        return config.placer.mediaRoots.map { root in
            guard let temp, let media = device(root) else {
                return HealthCheck("same_file_system", root, .warning, "cannot tell which file system it is on")
            }
            if temp == media {
                if let a = Mounts.mountID(of: existing(config.converter.tempDir)), let b = Mounts.mountID(of: existing(root)), a != b {
                    return HealthCheck(
                        "same_file_system", root, .warning,
                        "on the file system of [converter] temp_dir, but another mount of it (a container volume, a bind mount): each file is copied and verified (slower)",
                        hint: "put temp_dir under the same mount as the media root (one volume for both) to place by rename")
                }
                return HealthCheck("same_file_system", root, .ok, "on the same file system as [converter] temp_dir: files are placed by rename")
            }
            return HealthCheck(
                "same_file_system", root, .warning, "on another file system than [converter] temp_dir: each file is copied and verified (slower)",
                hint: "put temp_dir on the media roots' file system to place by rename")
        }
    }

    /// Each indexer asked once (unless it asked for a pause, which is reported instead), the trackers
    /// an aggregate names as failing, and what the service's own searches last met (`health`).
    static func indexers(_ config: AppConfig, health: IndexerHealth? = nil) async -> [HealthCheck] {
        let clients = config.indexerClients()
        guard !clients.isEmpty else {
            return [
                HealthCheck(
                    "indexer", "(none)", .warning, "no indexer is configured: tickets cannot be searched",
                    hint: "set [jackett] url and api_key, or [[torznab]] feeds")
            ]
        }
        var checks: [HealthCheck] = []
        var named = Set<String>()
        for client in clients {
            named.insert(client.name)
            if let until = await health?.pausedUntil(client.name) {
                checks.append(
                    HealthCheck(
                        "indexer", client.name, .warning,
                        "paused until \(ISO8601DateFormatter().string(from: until)): it asked for a pause (HTTP 429 / Retry-After)",
                        hint: "searches wait for it; other indexers go on"))
                continue
            }
            do {
                let answer = try await client.search(IndexerQuery(text: "downloader2 health check"))
                checks.append(HealthCheck("indexer", client.name, .ok, "answers and accepts its key"))
                for failure in answer.failures {
                    named.insert(failure.indexer)
                    checks.append(
                        HealthCheck(
                            "indexer", failure.indexer, .warning, failure.description, hint: "fix it in \(client.name), or disable that tracker there"
                        ))
                }
            } catch .unauthorized {
                checks.append(
                    HealthCheck(
                        "indexer", client.name, .error, "refuses its API key", hint: "check the key in the configuration (it is never printed)"))
            } catch .rateLimited(let name, let until) {
                await health?.record(name, failures: [.rateLimited(indexer: name, until: until)])
                checks.append(
                    HealthCheck(
                        "indexer", client.name, .warning,
                        "asked for a pause until \(ISO8601DateFormatter().string(from: until)) (HTTP 429 / Retry-After)"))
            } catch {
                checks.append(
                    HealthCheck("indexer", client.name, .error, "\(error)", hint: "is the indexer running and reachable from this machine?"))
            }
        }
        // What the searches themselves last met, for trackers this check did not already name.
        for (name, entry) in await health?.snapshot() ?? [:] where !named.contains(name) {
            guard let error = entry.lastError, let at = entry.lastErrorAt, at > (entry.lastSuccessAt ?? .distantPast) else { continue }
            checks.append(
                HealthCheck("indexer", name, .warning, "last search, \(ISO8601DateFormatter().string(from: at)): \(error.description)"))
        }
        return checks
    }

    /// Each `host:port` of `[torrent] listen_interfaces` (IPv4 and `[::]`) can be bound now.
    static func listenPorts(_ interfaces: String) -> [HealthCheck] {
        interfaces.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.compactMap { entry in
            guard let colon = entry.lastIndex(of: ":"), let port = UInt16(entry[entry.index(after: colon)...]) else {
                return HealthCheck("listen_port", entry, .warning, "not a host:port pair")
            }
            let host = String(entry[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if port == 0 { return HealthCheck("listen_port", entry, .ok, "any free port is taken at start") }
            switch bindable(host: host, port: port) {
            case nil: return HealthCheck("listen_port", entry, .ok, "can be bound")
            case let code?:
                return HealthCheck(
                    "listen_port", entry, .error, "cannot be bound: \(String(cString: strerror(code)))",
                    hint: code == EADDRINUSE
                        ? "another program (another BitTorrent client?) uses the port: stop it or change [torrent] listen_interfaces" : nil)
            }
        }
    }

    /// nil when a TCP socket binds `host:port`, else errno.
    static func bindable(host: String, port: UInt16) -> Int32? {
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var result: Int32
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr(host.isEmpty ? "0.0.0.0" : host)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        return result == 0 ? nil : errno
    }

    static func encoders() -> [HealthCheck] {
        AudioLibraryInfo.encoders().map { entry in
            entry.present
                ? HealthCheck("encoder", entry.format.rawValue, .ok, "\(entry.encoder) is available")
                : HealthCheck(
                    "encoder", entry.format.rawValue, .error, "\(entry.encoder) is missing from this libav build",
                    hint: "install Debian's libavcodec59 (it includes \(entry.encoder))")
        }
    }
}

extension Notifier {
    /// One check per `[[notify]]` target: a warning while its last call failed (tickets are not
    /// affected), ok once calls go through.
    public func healthChecks() -> [HealthCheck] {
        status().map { target, status in
            if let error = status.lastError, let at = status.lastErrorAt, (status.lastSuccessAt ?? .distantPast) < at {
                return HealthCheck(
                    "notify", target.name, .warning,
                    "the last call failed at \(ISO8601DateFormatter().string(from: at)) (\(status.failed) given up so far): \(error)",
                    hint: "check the target's URL and credentials in [[notify]]; tickets carry on regardless")
            }
            return HealthCheck("notify", target.name, .ok, status.delivered == 0 ? "nothing sent yet" : "\(status.delivered) call(s) delivered")
        }
    }
}
