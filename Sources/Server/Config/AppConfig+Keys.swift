import Foundation
import Audio
import Torrent

extension AppConfig {
    /// Every key, in the order `config.example.toml` documents them.
    package static var keys: [ConfigKey] {
        [
            .string("server", "host", \.server.host, check: nonEmpty),
            .int("server", "port", \.server.port, 1...65535),
            .string("server", "auth_token", \.server.authToken, secret: true),
            .int("server", "max_body_bytes", \.server.maxBodyBytes, 1024...(256 << 20)),

            .string("database", "path", \.database.path, check: nonEmpty),
            .string("database", "url", \.database.url, secret: true, check: postgresURLOrEmpty),

            .string(
                "cluster", "node_id", \.cluster.nodeId,
                check: { id in
                    id.count <= 64 && id.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
                        ? nil : "letters, digits, '-', '_' and '.' only, at most 64"
                }),
            .int("cluster", "lease_secs", \.cluster.leaseSecs, 3...3600),

            .string("jackett", "url", \.jackett.url, check: httpURLOrEmpty),
            .string("jackett", "api_key", \.jackett.apiKey, secret: true),
            .int("jackett", "timeout_secs", \.jackett.timeoutSecs, 1...600),
            .double("jackett", "seed_ratio", \.jackett.seedRatio, 0...1000),
            .int("jackett", "seed_time_mins", \.jackett.seedTimeMins, 0...525_600),

            .strings(
                "torznab", "feeds", \.torznab.feeds, secret: true,
                check: { feeds in
                    feeds.compactMap(httpURLOrEmpty).first.map { "every feed must be an http(s) URL: \($0)" }
                }),
            .int("torznab", "timeout_secs", \.torznab.timeoutSecs, 1...600),

            .string("torrent", "download_path", \.torrent.downloadPath, check: nonEmpty),
            .string("torrent", "listen_interfaces", \.torrent.listenInterfaces, check: nonEmpty),
            .bool("torrent", "enable_dht", \.torrent.enableDht),
            .string("torrent", "dht_bootstrap_nodes", \.torrent.dhtBootstrapNodes),
            .bool("torrent", "enable_lsd", \.torrent.enableLsd),
            .bool("torrent", "enable_upnp", \.torrent.enableUpnp),
            .bool("torrent", "enable_natpmp", \.torrent.enableNatpmp),
            .bool("torrent", "enable_utp", \.torrent.enableUtp),
            .bool("torrent", "dial_utp", \.torrent.dialUtp),
            .int("torrent", "hashing_threads", \.torrent.hashingThreads, 1...64),
            .int("torrent", "aio_threads", \.torrent.aioThreads, 0...64),
            .bool("torrent", "disk_thread", \.torrent.diskThread),
            .bool("torrent", "keep_files_open", \.torrent.keepFilesOpen),
            .bool("torrent", "os_cache", \.torrent.osCache),
            .int("torrent", "send_buffer_watermark_kib", \.torrent.sendBufferWatermarkKib, 0...1_048_576),
            .int("torrent", "max_queued_disk_kib", \.torrent.maxQueuedDiskKib, 0...4_194_304),
            .double("torrent", "seed_ratio_limit", \.torrent.seedRatioLimit, 0...1000),
            .int("torrent", "seed_time_limit_mins", \.torrent.seedTimeLimitMins, 0...525_600),
            .double("torrent", "private_seed_ratio_limit", \.torrent.privateSeedRatioLimit, 0...1000),
            .int("torrent", "private_seed_time_limit_mins", \.torrent.privateSeedTimeLimitMins, 0...525_600),
            .bool("torrent", "keep_payload", \.torrent.keepPayload),
            .double("seeding", "max_disk_gb", \.seeding.maxDiskGb, 0...1_000_000),
            .int("torrent", "metadata_timeout_secs", \.torrent.metadataTimeoutSecs, 1...3600),
            .int("torrent", "stall_timeout_secs", \.torrent.stallTimeoutSecs, 5...86_400),
            .int("torrent", "max_download_kbps", \.torrent.maxDownloadKbps, 0...10_000_000),
            .int("torrent", "alt_download_kbps", \.torrent.altDownloadKbps, 0...10_000_000),
            .int("torrent", "alt_upload_kbps", \.torrent.altUploadKbps, 0...10_000_000),
            .string(
                "torrent", "alt_schedule", \.torrent.altSchedule,
                check: { text in
                    do { _ = try BandwidthSchedule(parsing: text); return nil } catch {
                        return "\(error) (syntax: 'Mon-Fri 08:00-23:00', rules joined by ';')"
                    }
                }),
            .int("torrent", "max_upload_kbps", \.torrent.maxUploadKbps, 0...10_000_000),
            .int("torrent", "connections_limit", \.torrent.connectionsLimit, 0...100_000),

            .string(
                "matcher", "llm_provider", \.matcher.llmProvider,
                check: { provider in
                    ["none", "", "openai", "anthropic"].contains(provider) ? nil : "must be \"none\", \"openai\" or \"anthropic\", got '\(provider)'"
                }),
            .string("matcher", "llm_model", \.matcher.llmModel),
            .string("matcher", "api_key", \.matcher.apiKey, secret: true),
            .string("matcher", "base_url", \.matcher.baseUrl, check: httpURLOrEmpty),
            .int("matcher", "llm_timeout_secs", \.matcher.llmTimeoutSecs, 1...600),
            .double("matcher", "auto_approve_threshold", \.matcher.autoApproveThreshold, 0...1),
            .bool("matcher", "prefer_freeleech", \.matcher.preferFreeleech),

            .string("converter", "temp_dir", \.converter.tempDir, check: nonEmpty),
            .int("converter", "max_parallel_conversions", \.converter.maxParallelConversions, 1...64),
            .double("converter", "duration_tolerance_secs", \.converter.durationToleranceSecs, 0...600),
            .string(
                "converter", "replaygain", \.converter.replaygain,
                check: { ReplayGainMode(rawValue: $0) == nil ? "must be \"album\", \"track\" or \"off\"" : nil }),
            .bool("converter", "opus_replaygain_tags", \.converter.opusReplaygainTags),

            .int("processing", "max_parallel_tickets", \.processing.maxParallelTickets, 1...256),
            .int("processing", "max_parallel_downloads", \.processing.maxParallelDownloads, 1...64),
            .string(
                "processing", "partial_success", \.processing.partialSuccess,
                check: { mode in
                    ["fail", "complete_flagged"].contains(mode) ? nil : "must be \"fail\" or \"complete_flagged\", got '\(mode)'"
                }),
            .int("processing", "check_interval_secs", \.processing.checkIntervalSecs, 1...3600),
            .int("processing", "retry_max_attempts", \.processing.retryMaxAttempts, 0...100),
            .int("processing", "retry_initial_delay_secs", \.processing.retryInitialDelaySecs, 1...86_400),
            .int("processing", "retry_max_delay_secs", \.processing.retryMaxDelaySecs, 1...604_800),

            .strings("placer", "media_roots", \.placer.mediaRoots, check: absolutePaths),
            .bool("placer", "overwrite", \.placer.overwrite),
            .string(
                "placer", "file_mode", \.placer.fileMode, check: { octalMode($0) == nil ? "must be an octal mode like \"0644\", got '\($0)'" : nil }),
            .string(
                "placer", "dir_mode", \.placer.dirMode, check: { octalMode($0) == nil ? "must be an octal mode like \"0755\", got '\($0)'" : nil }),
            .string(
                "placer", "owner", \.placer.owner,
                check: { owner in
                    owner.isEmpty || ownerIDs(owner) != nil ? nil : "must be \"uid:gid\" or \"user:group\" of existing ids, got '\(owner)'"
                }),

            .int("health", "min_free_mb", \.health.minFreeMb, 0...10_000_000),
            .bool("wanted", "enabled", \.wanted.enabled),
            .string(
                "wanted", "search_intervals_mins", \.wanted.searchIntervalsMins,
                check: { text in
                    var probe = AppConfig.Wanted()
                    probe.searchIntervalsMins = text
                    return probe.intervals == nil ? "must be whole minutes above 0 joined by commas, e.g. \"15, 60, 360, 1440\", got '\(text)'" : nil
                }),
            .int("wanted", "give_up_days", \.wanted.giveUpDays, 1...3650),
            .int("wanted", "rss_interval_mins", \.wanted.rssIntervalMins, 0...10_080),
            .string(
                "verify", "fake_lossless", \.verify.fakeLossless,
                check: { mode in
                    ["reject", "flag", "off"].contains(mode) ? nil : "must be \"reject\", \"flag\" or \"off\", got '\(mode)'"
                }),
            .string(
                "verify", "suspects", \.verify.suspects,
                check: { mode in ["ask", "accept"].contains(mode) ? nil : "must be \"ask\" or \"accept\", got '\(mode)'" }),
            .int("health", "interval_mins", \.health.intervalMins, 1...1440),
            .bool("cover", "fetch", \.cover.fetch),
            .string(
                "cover", "archive_url", \.cover.archiveURL,
                check: { url in
                    url.hasPrefix("http://") || url.hasPrefix("https://") ? nil : "must be an http:// or https:// URL, got '\(url)'"
                }),
        ]
    }

    /// Sections of the original design that this binary replaced, with what to use instead (docs/ARCHITECTURE.md#configuration).
    static let replacedSections = [
        "qbittorrent": "the BitTorrent engine is embedded now: use [torrent]"
    ]

    /// "0644" → 0o644; nil unless an octal number within 0…0o7777.
    public static func octalMode(_ text: String) -> mode_t? {
        guard let value = UInt32(text, radix: 8), value <= 0o7777 else { return nil }
        return mode_t(value)
    }

    /// "1000:1000" or "media:media" → ids, resolving names on this machine.
    public static func ownerIDs(_ text: String) -> (uid: uid_t, gid: gid_t)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        let uid = uid_t(parts[0]) ?? getpwnam(parts[0])?.pointee.pw_uid
        let gid = gid_t(parts[1]) ?? getgrnam(parts[1])?.pointee.gr_gid
        guard let uid, let gid else { return nil }
        return (uid, gid)
    }

    private static func nonEmpty(_ s: String) -> String? {
        s.trimmingCharacters(in: .whitespaces).isEmpty ? "must not be empty" : nil
    }

    private static func httpURLOrEmpty(_ s: String) -> String? {
        guard !s.isEmpty else { return nil }
        guard let url = URL(string: s), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            return "must be an http:// or https:// URL, got '\(s)'"
        }
        return nil
    }

    /// Never echoes the URL: it may carry the database password.
    private static func postgresURLOrEmpty(_ s: String) -> String? {
        guard !s.isEmpty else { return nil }
        guard let url = URLComponents(string: s), ["postgres", "postgresql"].contains(url.scheme ?? ""), let host = url.host, !host.isEmpty else {
            return "must be a postgres://user:password@host:5432/database URL"
        }
        return nil
    }

    private static func absolutePaths(_ list: [String]) -> String? {
        if let bad = list.first(where: { !$0.hasPrefix("/") }) { return "every media root must be an absolute path, got '\(bad)'" }
        return nil
    }
}
