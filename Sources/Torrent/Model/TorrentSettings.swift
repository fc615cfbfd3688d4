/// How the engine's session is set up; production values come from `[torrent]`.
public struct TorrentSettings: Sendable, Equatable {
    public var listenInterfaces: String
    public var enableDHT: Bool
    public var dhtBootstrapNodes: String
    public var enableLSD: Bool
    public var enableUPnP: Bool
    public var enableNATPMP: Bool
    /// uTP as well as TCP (`[torrent] enable_utp`); false: TCP only, both directions.
    public var enableUTP: Bool
    /// Dial peers over uTP first (libtorrent's default). Off by default: libtorrent 2.0.8's uTP crawls
    /// between local peers (1 GiB engine to engine on loopback: 174 s over uTP), so we dial over TCP and
    /// accept uTP from peers that choose it (`[torrent] dial_utp`, `make bench-swarm`).
    public var dialUTP = false
    /// 0 = unlimited.
    public var maxDownloadKbps: Int
    public var maxUploadKbps: Int
    /// 0 = libtorrent's default.
    public var connectionsLimit: Int
    public var allowMultipleConnectionsPerIP: Bool
    /// Request queues, send buffers and disk queue sized for throughput (high_performance_seed()).
    public var tunedForThroughput: Bool
    public var hashingThreads: Int
    /// Disk I/O threads; 0 = libtorrent's default (`[torrent] aio_threads`).
    public var aioThreads = 0
    /// Disk jobs (writes, reads, piece hashes) on a thread of their own rather than on libtorrent's
    /// network thread (`[torrent] disk_thread`; docs/NOTES.md, "libtorrent: disk I/O and memory").
    /// Off by default: measured slower and with twice the leecher's RSS (`make bench-swarm`).
    public var diskThread = false
    /// Files stay open between blocks and a piece written in order is hashed from its blocks, not
    /// read back (`[torrent] keep_files_open`; `CShims/CTorrentShim/cached_disk_io.cpp`). Off:
    /// libtorrent's POSIX disk I/O, which opens and closes the file for every 16 KiB block.
    public var keepFilesOpen = true
    /// Downloads go through the OS's page cache. Off (the default, with `keepFilesOpen`): a piece
    /// whose blocks arrive in order is written whole, with O_DIRECT, by a writer thread
    /// (`[torrent] os_cache`; docs/NOTES.md, "libtorrent: writing past the page cache").
    public var osCache = false
    /// The per-peer send buffer's upper watermark, KiB; 0 = the preset's (`[torrent] send_buffer_watermark_kib`).
    public var sendBufferWatermarkKiB = 0
    /// Disk writes queued before peers are throttled, KiB; 0 = the preset's (`[torrent] max_queued_disk_kib`).
    public var maxQueuedDiskKiB = 0
    /// Trackers on loopback (tests, a NAS's own tracker) are announced to with any path.
    public var allowLocalTrackers: Bool
    /// Rate limits apply to LAN and loopback peers as well (libtorrent exempts them by default).
    public var rateLimitLocalPeers: Bool
    /// Seconds before a peer that disconnected is dialled again; 0 = libtorrent's default (60).
    public var minReconnectSecs = 0

    public init(
        listenInterfaces: String = "0.0.0.0:6881,[::]:6881", enableDHT: Bool = true,
        dhtBootstrapNodes: String = "dht.libtorrent.org:25401,router.bittorrent.com:6881",
        enableLSD: Bool = true, enableUPnP: Bool = true, enableNATPMP: Bool = true, enableUTP: Bool = true,
        maxDownloadKbps: Int = 0, maxUploadKbps: Int = 0, connectionsLimit: Int = 0,
        allowMultipleConnectionsPerIP: Bool = false, tunedForThroughput: Bool = true, hashingThreads: Int = 2,
        allowLocalTrackers: Bool = false, rateLimitLocalPeers: Bool = false
    ) {
        self.listenInterfaces = listenInterfaces
        self.enableDHT = enableDHT
        self.dhtBootstrapNodes = dhtBootstrapNodes
        self.enableLSD = enableLSD
        self.enableUPnP = enableUPnP
        self.enableNATPMP = enableNATPMP
        self.enableUTP = enableUTP
        self.maxDownloadKbps = maxDownloadKbps
        self.maxUploadKbps = maxUploadKbps
        self.connectionsLimit = connectionsLimit
        self.allowMultipleConnectionsPerIP = allowMultipleConnectionsPerIP
        self.tunedForThroughput = tunedForThroughput
        self.hashingThreads = hashingThreads
        self.allowLocalTrackers = allowLocalTrackers
        self.rateLimitLocalPeers = rateLimitLocalPeers
    }

    /// A session that never leaves this machine: 127.0.0.1 on `port` (0 = any free port), TCP only,
    /// no DHT, LSD, UPnP or NAT-PMP (docs/ARCHITECTURE.md#networking-in-tests-demos-and-benchmarks).
    public static func loopback(port: Int = 0) -> TorrentSettings {
        var settings = TorrentSettings(
            listenInterfaces: "127.0.0.1:\(port)", enableDHT: false, dhtBootstrapNodes: "", enableLSD: false,
            enableUPnP: false, enableNATPMP: false, enableUTP: false, allowMultipleConnectionsPerIP: true,
            allowLocalTrackers: true, rateLimitLocalPeers: true)
        // Peers on one machine come and go in seconds; a minute's wait before redialling one is for the internet.
        settings.minReconnectSecs = 1
        return settings
    }
}

/// When to stop seeding a finished torrent (`[torrent] seed_ratio_limit`, `seed_time_limit_mins`,
/// a private tracker's `minimumratio` / `minimumseedtime`; docs/NOTES.md#libtorrent-seeding-limits).
///
/// A goal is met when the ratio **or** the seed time is reached: that is how private trackers word
/// their hit-and-run rules ("seed to 1.0 or for 72 hours"), and how Jackett and Prowlarr hand them on
/// (two separate limits per tracker, Sonarr/Radarr/Lidarr's seed criteria read them the same way).
public struct SeedingPolicy: Sendable, Equatable, Codable {
    /// Stop once uploaded ÷ downloaded reaches this; 0 = no ratio goal.
    public var ratioLimit: Double
    /// Stop after seeding this many seconds; 0 = no time goal.
    public var timeLimitSecs: Int
    /// Never stop (the CLI's `--seed`, a seeder in tests).
    public var forever: Bool
    /// Where the goal comes from, as people read it ("indexer RED (minimumratio, minimumseedtime)").
    public var source: String

    public init(ratioLimit: Double = 0, timeLimitSecs: Int = 0, forever: Bool = false, source: String = "") {
        self.ratioLimit = ratioLimit
        self.timeLimitSecs = timeLimitSecs
        self.forever = forever
        self.source = source
    }

    public static let stopWhenComplete = SeedingPolicy()
    public static let seedForever = SeedingPolicy(forever: true)

    /// Whether a torrent with these figures has seeded enough. With both limits 0 it stops at
    /// completion; with either set, reaching that one is enough.
    ///
    /// Nothing downloaded (made here, or found complete) makes the ratio unbounded: the goal is met,
    /// except for a private torrent, whose tracker may well have counted a download this engine no
    /// longer remembers (resume data lost): then only the seed time or a real upload counts.
    public func isSatisfied(uploaded: Int64, downloaded: Int64, seedingSecs: Int64, isPrivate: Bool = false) -> Bool {
        if forever { return false }
        if ratioLimit <= 0 && timeLimitSecs <= 0 { return true }
        if ratioLimit > 0 {
            if downloaded == 0 && !isPrivate { return true }
            if downloaded > 0 && Double(uploaded) / Double(downloaded) >= ratioLimit { return true }
        }
        return timeLimitSecs > 0 && seedingSecs >= Int64(timeLimitSecs)
    }

    /// What is still to go of each part of the goal (nil: that part is not set); both 0 once met.
    public func remaining(uploaded: Int64, downloaded: Int64, seedingSecs: Int64, isPrivate: Bool = false) -> (ratio: Double?, seedSecs: Int64?) {
        let met = isSatisfied(uploaded: uploaded, downloaded: downloaded, seedingSecs: seedingSecs, isPrivate: isPrivate)
        let ratio: Double? =
            ratioLimit > 0 && !forever
            ? (met ? 0 : max(0, ratioLimit - (downloaded == 0 ? 0 : Double(uploaded) / Double(downloaded)))) : nil
        let secs: Int64? = timeLimitSecs > 0 && !forever ? (met ? 0 : max(0, Int64(timeLimitSecs) - seedingSecs)) : nil
        return (ratio, secs)
    }
}
