import Foundation
import Server
import Testing

@Suite("Configuration")
struct ConfigTests {
    let dir = TemporaryDirectory()

    func write(_ toml: String) -> String {
        let path = dir.file("config.toml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(toml.utf8)))
        return path
    }

    @Test("no file and no environment: the documented defaults")
    func defaultsWithoutFile() throws {
        let loaded = try AppConfig.load(path: nil, environment: [:])
        #expect(loaded.config == AppConfig())
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.config.server.port == 8080)
        #expect(loaded.config.database.path == "./data/downloader2.db")
        #expect(loaded.config.torrent.enableDht)
    }

    @Test("a TOML file sets keys in every section, environment variables override it")
    func fileThenEnvironment() throws {
        let path = write(
            """
            [server]
            port = 9000
            auth_token = "s3cret"
            [torrent]
            enable_dht = false
            seed_ratio_limit = 1
            [placer]
            media_roots = ["/srv/music", "/srv/more"]
            [processing]
            retry_max_attempts = 5
            """)
        let loaded = try AppConfig.load(
            path: path,
            environment: [
                "DOWNLOADER2_SERVER_PORT": "9100", "DOWNLOADER2_PLACER_MEDIA_ROOTS": "/a, /b", "DOWNLOADER2_TORRENT_ENABLE_LSD": "false",
                "DOWNLOADER2_MATCHER_AUTO_APPROVE_THRESHOLD": "0.9", "PATH": "/usr/bin",
            ])
        #expect(loaded.config.server.port == 9100)
        #expect(loaded.config.server.authToken == "s3cret")
        #expect(loaded.config.torrent.enableDht == false && loaded.config.torrent.enableLsd == false)
        #expect(loaded.config.torrent.seedRatioLimit == 1.0)
        #expect(loaded.config.placer.mediaRoots == ["/a", "/b"])
        #expect(loaded.config.processing.retryMaxAttempts == 5)
        #expect(loaded.config.matcher.autoApproveThreshold == 0.9)
        #expect(
            try AppConfig.load(path: nil, environment: ["DOWNLOADER2_PLACER_MEDIA_ROOTS": #"["/x", "/y"]"#]).config.placer.mediaRoots == ["/x", "/y"])
    }

    @Test("unknown keys, sections and variables are warnings that name them")
    func unknownKeysWarn() throws {
        let path = write(
            """
            [server]
            prot = 1
            [qbittorrent]
            url = "http://localhost:8081"
            """)
        let loaded = try AppConfig.load(path: path, environment: ["DOWNLOADER2_SERVER_PROT": "1"])
        #expect(loaded.warnings.contains { $0.contains("server.prot") })
        #expect(loaded.warnings.contains { $0.contains("[qbittorrent]") && $0.contains("[torrent]") })
        #expect(loaded.warnings.contains { $0.contains("DOWNLOADER2_SERVER_PROT") })
        #expect(loaded.config == AppConfig())
    }

    @Test("a bad value is an error naming the key and where it came from")
    func badValuesNameTheKey() throws {
        func failure(_ toml: String? = nil, env: [String: String] = [:]) -> ConfigError? {
            do {
                _ = try AppConfig.load(path: toml.map(write), environment: env)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("[server]\nport = 70000")?.key == "server.port")
        #expect(failure("[server]\nport = \"eighty\"")?.key == "server.port")
        #expect(failure(env: ["DOWNLOADER2_SERVER_PORT": "x"])?.description.contains("DOWNLOADER2_SERVER_PORT") == true)
        #expect(failure("[matcher]\nauto_approve_threshold = 1.5")?.key == "matcher.auto_approve_threshold")
        #expect(failure("[placer]\nmedia_roots = [\"relative\"]")?.key == "placer.media_roots")
        #expect(failure("[matcher]\nllm_provider = \"local\"")?.description.contains("\"none\", \"openai\" or \"anthropic\"") == true)
        #expect(failure("[matcher]\nbase_url = \"api.openai.com\"")?.key == "matcher.base_url")
        #expect(failure("[jackett]\nurl = \"ftp://x\"")?.key == "jackett.url")
        #expect(failure(env: ["DOWNLOADER2_TORRENT_ENABLE_DHT": "maybe"])?.key == "torrent.enable_dht")
        #expect(failure("[placer]\nfile_mode = \"rw-r--r--\"")?.key == "placer.file_mode")
        #expect(failure("[torznab]\nfeeds = [\"ftp://x/api\"]")?.key == "torznab.feeds")
        #expect(failure("[placer]\nowner = \"nobody-such-user:root\"")?.key == "placer.owner")
        #expect(
            try AppConfig.load(path: write("[placer]\nowner = \"root:0\"\ndir_mode = \"0750\""), environment: [:]).config.placer.owner == "root:0")
        #expect(failure("server = 3")?.key == "server")
        let syntax = failure("[server\nport = 1")
        #expect(syntax?.key == nil && syntax?.description.contains("not valid TOML") == true)
        do {
            _ = try AppConfig.load(path: dir.file("missing.toml"), environment: [:])
            Issue.record("a missing config file must be an error")
        } catch {
            #expect(error.description.contains("missing.toml"))
        }
    }

    @Test("config.example.toml documents every key, with the defaults, and nothing else")
    func exampleDocumentsEveryKey() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../config.example.toml").standardized
            .path
        let loaded = try AppConfig.load(path: example, environment: [:])
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.config == AppConfig())
        let text = try String(contentsOfFile: example, encoding: .utf8)
        for key in AppConfig.keys {
            #expect(text.contains("[\(key.section)]") && text.contains("\n\(key.name) ="), "config.example.toml lacks \(key.path)")
        }
    }

    @Test("GET /config's view hides secrets that are set and shows everything else")
    func redaction() throws {
        var config = AppConfig()
        config.server.authToken = "top-secret"
        config.jackett.apiKey = "key"
        let json = config.redactedJSON()
        #expect(json["server"]?["auth_token"] == .string("***"))
        #expect(json["jackett"]?["api_key"] == .string("***"))
        #expect(json["matcher"]?["api_key"] == .string(""))
        #expect(json["server"]?["port"] == .number(8080))
        #expect(json["placer"]?["media_roots"] == .array([.string("/media")]))
        config.torznab.feeds = ["http://localhost:9696/1/api?apikey=s3cret&t=x"]
        #expect(config.redactedJSON()["torznab"]?["feeds"] == .array([.string("http://localhost:9696/1/api?apikey=***&t=x")]))
        let encoded = String(decoding: try JSONEncoder().encode(json), as: UTF8.self)
        #expect(!encoded.contains("top-secret") && !encoded.contains("\"key\""))
    }

    @Test("[[torznab]] entries: URL as Prowlarr gives it, key apart or inside, a name; keys redacted; a bad entry named by its index")
    func torznabEntries() throws {
        let loaded = try AppConfig.load(
            path: write(
                """
                [[torznab]]
                name = "rutracker"
                url = "http://localhost:9117/api/v2.0/indexers/rutracker/results/torznab/api"
                api_key = "entry-secret-1"
                timeout_secs = 45
                [[torznab]]
                url = "http://localhost:9696/1/api?apikey=entry-secret-2"
                """), environment: [:])
        let config = loaded.config
        #expect(config.torznab.indexers.count == 2 && loaded.warnings.isEmpty)
        let endpoints = config.torznabEndpoints
        #expect(endpoints.map(\.name) == ["rutracker", "localhost:9696/1/api"])
        #expect(endpoints.map(\.apiKey) == ["entry-secret-1", "entry-secret-2"])
        #expect(endpoints.map(\.timeoutSecs) == [45, nil])
        #expect(!endpoints[1].baseURL.contains("apikey"))
        #expect(config.indexerClients().map(\.name) == ["rutracker", "localhost:9696/1/api"])
        let shown = String(decoding: try JSONEncoder().encode(config.redactedJSON()), as: UTF8.self)
        #expect(!shown.contains("entry-secret-1") && !shown.contains("entry-secret-2"), "\(shown)")
        #expect(config.redactedJSON()["torznab"]?["indexers"]?[0]?["api_key"] == .string("***"))

        for (toml, key) in [
            ("[[torznab]]\nname = \"x\"", "torznab[0].url"), ("[[torznab]]\nurl = \"ftp://x/api\"", "torznab[0].url"),
            ("[[torznab]]\nurl = \"http://x/api\"\napikey = \"k\"", "torznab[0].apikey"),
            ("[[torznab]]\nurl = \"http://x/api\"\ntimeout_secs = 0", "torznab[0].timeout_secs"),
            ("[[torznab]]\nurl = \"http://x/a\"\nname = \"n\"\n[[torznab]]\nurl = \"http://x/b\"\nname = \"n\"", "torznab[1].name"),
        ] {
            do {
                _ = try AppConfig.load(path: write(toml), environment: [:])
                Issue.record("accepted: \(toml)")
            } catch {
                #expect(error.key == key, "\(error)")
            }
        }
    }
}
