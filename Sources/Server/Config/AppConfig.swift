import Foundation
import Pipeline

/// Everything configurable, in the sections of docs/ARCHITECTURE.md#configuration (`[torrent]` replaces `[qbittorrent]`).
///
/// Defaults make a config file unnecessary: SQLite under `./data`, port 8080.
/// ``AppConfig/keys`` is the single list of keys; `config.example.toml` documents each of them.
public struct AppConfig: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        public var host = "0.0.0.0"
        public var port = 8080
        /// Empty: a random token is generated once and kept next to the database (see README).
        public var authToken = ""
        public var maxBodyBytes = 1_048_576
    }

    public struct Database: Sendable, Equatable {
        public var path = "./data/downloader2.db"
        /// `postgres://user:password@host:5432/database`: several nodes share this PostgreSQL as their
        /// queue; empty: SQLite at `path`, one node.
        public var url = ""
    }

    /// Several nodes sharing one PostgreSQL (`[database] url`); ignored with SQLite.
    public struct Cluster: Sendable, Equatable {
        /// This node's name among the others; empty: the host name.
        public var nodeId = ""
        /// A node that has not renewed its leases for this long is presumed dead and its tickets are taken over.
        public var leaseSecs = 30

        /// `nodeId`, or the host name when it is empty.
        public var resolvedNodeId: String {
            nodeId.isEmpty ? ProcessInfo.processInfo.hostName : nodeId
        }
    }

    public struct Jackett: Sendable, Equatable {
        public var url = ""
        public var apiKey = ""
        /// One `indexers/all` search waits for every tracker behind Jackett, each up to Jackett's own
        /// 100 s: the whole search gets longer than that, and is not repeated at once when it runs out.
        public var timeoutSecs = 120
        /// A seeding goal for every tracker behind Jackett, over what their results say (0: none).
        public var seedRatio = 0.0
        public var seedTimeMins = 0
    }

    public struct Torznab: Sendable, Equatable {
        /// Torznab feed URLs with their `apikey` parameter (Prowlarr, Jackett per-indexer feeds): the
        /// older form, still read beside `[[torznab]]` entries.
        public var feeds: [String] = []
        public var timeoutSecs = 30
        /// `[[torznab]]` entries.
        public var indexers: [TorznabIndexer] = []
    }

    /// One `[[torznab]]` entry: a feed URL as Jackett's "Copy Torznab Feed" or Prowlarr gives it, its
    /// key apart (or inside the URL), and the name it is shown under.
    public struct TorznabIndexer: Sendable, Equatable {
        public var url: String
        public var apiKey = ""
        public var name = ""
        public var timeoutSecs: Int?
        /// This indexer's seeding goal, over what its results say (`minimumratio`, `minimumseedtime`).
        public var seedRatio: Double?
        public var seedTimeMins: Int?

        public init(url: String, apiKey: String = "", name: String = "", timeoutSecs: Int? = nil) {
            self.url = url
            self.apiKey = apiKey
            self.name = name
            self.timeoutSecs = timeoutSecs
        }
    }

    public struct Torrent: Sendable, Equatable {
        public var downloadPath = "./data/downloads"
        public var listenInterfaces = "0.0.0.0:6881,[::]:6881"
        public var enableDht = true
        public var dhtBootstrapNodes = "dht.libtorrent.org:25401,router.bittorrent.com:6881"
        public var enableLsd = true
        public var enableUpnp = true
        public var enableNatpmp = true
        /// uTP as well as TCP; false: TCP only, in both directions.
        public var enableUtp = true
        /// Dial peers over uTP first, as libtorrent does by default; off because libtorrent 2.0.8's uTP
        /// crawls between local peers (`make bench-swarm`).
        public var dialUtp = false
        /// Threads hashing pieces (`make bench-swarm` measures 1, 2 and 4).
        public var hashingThreads = 2
        /// Disk I/O threads; 0 = libtorrent's default.
        public var aioThreads = 0
        /// Disk jobs on a thread of their own, off libtorrent's network thread (`make bench-swarm` measures both;
        /// off by default: slower in the one run measured).
        public var diskThread = false
        /// Files kept open between blocks and pieces hashed as they are written (`make bench-swarm` measures both).
        public var keepFilesOpen = true
        /// Downloads written through the page cache; false (the default): whole pieces written past
        /// it (O_DIRECT), leaving the cache to the rest of the NAS (`make bench-swarm` measures both).
        public var osCache = false
        /// Per-peer send buffer watermark in KiB; 0 = the throughput preset's.
        public var sendBufferWatermarkKib = 0
        /// Disk writes queued before peers are throttled, in KiB; 0 = the throughput preset's.
        public var maxQueuedDiskKib = 0
        /// The goal of a torrent whose indexer says nothing (0 and 0: stop at completion).
        public var seedRatioLimit = 0.0
        public var seedTimeLimitMins = 0
        /// The goal of a private torrent whose indexer says nothing: ratio 1.0 or 72 hours, whichever
        /// comes first, meets the hit-and-run rules of most private trackers (0 and 0: the goal above).
        public var privateSeedRatioLimit = 1.0
        public var privateSeedTimeLimitMins = 4320
        /// Keep a torrent's files after it has seeded and its tickets are finished (default: remove them).
        public var keepPayload = false
        public var metadataTimeoutSecs = 30
        /// A download with no data and no seed for this long is stalled (it then falls back or retries).
        public var stallTimeoutSecs = 120
        public var maxDownloadKbps = 0
        /// The alternative limits, in force while `altSchedule` is active (0: unlimited).
        public var altDownloadKbps = 0
        public var altUploadKbps = 0
        /// When the alternative limits apply (`BandwidthSchedule` syntax, local time); empty: never.
        public var altSchedule = ""
        public var maxUploadKbps = 0
        /// 0 = libtorrent's default (200).
        public var connectionsLimit = 0
    }

    public struct Matcher: Sendable, Equatable {
        /// "none", "openai" (or any server speaking its chat-completions API) or "anthropic".
        public var llmProvider = "none"
        public var llmModel = ""
        public var apiKey = ""
        /// Empty: the provider's public API.
        public var baseUrl = ""
        public var llmTimeoutSecs = 30
        public var autoApproveThreshold = 0.85
        /// Among releases that match equally well, a freeleech one first.
        public var preferFreeleech = true
    }

    public struct Converter: Sendable, Equatable {
        public var tempDir = "./data/tmp"
        public var maxParallelConversions = 2
        public var durationToleranceSecs = 2.0
        /// Loudness tags: "album" (track and album gains), "track", or "off".
        public var replaygain = "album"
        /// Opus files get `R128_*` gains (RFC 7845); this adds `REPLAYGAIN_*` beside them (players such as Navidrome read only those).
        public var opusReplaygainTags = false
    }

    public struct Processing: Sendable, Equatable {
        public var maxParallelTickets = 4
        public var maxParallelDownloads = 2
        /// "fail": any missing track fails the ticket; "complete_flagged": complete with what worked, flagged.
        /// (A release with no cover completes flagged either way.)
        public var partialSuccess = "fail"
        public var checkIntervalSecs = 10
        public var retryMaxAttempts = 3
        public var retryInitialDelaySecs = 30
        public var retryMaxDelaySecs = 3600
    }

    public struct Placer: Sendable, Equatable {
        public var mediaRoots = ["/media"]
        public var overwrite = false
        /// Octal permissions of placed files and of directories created for them.
        public var fileMode = "0644"
        public var dirMode = "0755"
        /// "uid:gid" or "user:group" to own placed files (NAS shares); empty keeps the service's.
        public var owner = ""
    }

    public struct Seeding: Sendable, Equatable {
        /// Room for payloads kept for seeding, in GB (10^9 bytes); 0 = no budget. Over it, payloads
        /// whose goal is met go first; one whose goal is not met is never removed, the health checks warn.
        public var maxDiskGb = 0.0
    }

    public struct Health: Sendable, Equatable {
        /// Free space below this on the download, temp or media file systems is an error of the health checks.
        public var minFreeMb = 1024
        /// How often `serve` runs the health checks (`GET /api/v1/health/checks`).
        public var intervalMins = 10
    }

    public struct Wanted: Sendable, Equatable {
        /// A search that finds nothing leaves the ticket `wanted`, searched again on the schedule below.
        public var enabled = true
        /// Minutes between searches, the last repeating: "15, 60, 360, 1440" (15 min, 1 h, 6 h, daily).
        public var searchIntervalsMins = "15, 60, 360, 1440"
        /// A ticket this old fails with `not_found`.
        public var giveUpDays = 90
        /// Minutes between reads of every indexer's recent-release feed, matched against the wanted
        /// tickets; 0: no RSS sync.
        public var rssIntervalMins = 15

        /// The intervals in seconds, nil when the text is not a list of positive whole minutes.
        public var intervals: [TimeInterval]? {
            let parts = searchIntervalsMins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let minutes = parts.compactMap { Int($0) }.filter { $0 > 0 }
            guard !parts.isEmpty, minutes.count == parts.count else { return nil }
            return minutes.map { TimeInterval($0 * 60) }
        }
    }

    public struct Verify: Sendable, Equatable {
        /// "reject": a lossless release whose spectrum shows a lossy encoder's low-pass is refused and
        /// blocklisted; "flag": recorded and converted anyway; "off": not analysed.
        public var fakeLossless = "reject"
        /// A release with one sign of a lossy source, not two: "ask" (another approved release first, else
        /// a person) or "accept" (converted). Never blocklisted.
        public var suspects = "ask"
    }

    public struct Cover: Sendable, Equatable {
        /// A release with no cover (no image file, no embedded picture) and a MusicBrainz release id in
        /// its ticket gets the Cover Art Archive's front image.
        public var fetch = false
        /// The Cover Art Archive's address (a mirror, or a test's fixture).
        public var archiveURL = "https://coverartarchive.org"
    }

    public var server = Server()
    public var database = Database()
    public var cluster = Cluster()
    public var jackett = Jackett()
    public var torznab = Torznab()
    public var torrent = Torrent()
    public var seeding = Seeding()
    public var matcher = Matcher()
    public var converter = Converter()
    public var processing = Processing()
    public var placer = Placer()
    public var health = Health()
    public var verify = Verify()
    public var cover = Cover()
    public var wanted = Wanted()
    /// `[[notify]]`: webhooks and Subsonic servers told about completions, failures and approvals.
    public var notify: [NotifyTarget] = []

    public init() {}
}
