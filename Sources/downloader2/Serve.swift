import ArgumentParser
import Basics
import Prometheus
import Audio
import Foundation
import Hummingbird
import Logging
import Pipeline
import Matching
import Placement
import Search
import Server
import ServiceLifecycle
import Storage
import Tickets
import Torrent

/// `downloader2 serve`: the API and the pipeline in one process until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service (REST API + ticket pipeline).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let loaded = try options.loadConfig()
        let config = loaded.config
        var logger = Logger(label: "downloader2")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        for warning in loaded.warnings { logger.warning("\(warning)") }
        let matcher = try MatcherChoice.make(config.matcher)

        let nodeId = config.cluster.resolvedNodeId
        let shared = try await Self.openShared(config, nodeId: nodeId, logger: logger)
        let database: any TicketStore = try shared?.store ?? AppDatabase.open(path: config.database.path)
        defer { shared?.task.cancel() }
        // Several nodes share the download folder: each keeps its own resume data and scratch files.
        let nodeFolder = shared == nil ? "" : "/" + nodeId
        let (token, tokenSource) = try AuthToken.resolve(config)
        Secrets.shared.register(token)
        logger.info("API bearer token from \(tokenSource)")
        let torrents = try TorrentSession(
            settings: config.torrentSettings,
            resumeDirectory: (config.torrent.downloadPath as NSString).appendingPathComponent(".resume" + nodeFolder),
            sharedResumeRoot: shared == nil ? nil : (config.torrent.downloadPath as NSString).appendingPathComponent(".resume"),
            seedingPolicy: config.seedingPolicy, privateSeedingPolicy: config.privateSeedingPolicy,
            stallAfter: TimeInterval(config.torrent.stallTimeoutSecs), logger: logger)
        await torrents.restore()
        let port = await torrents.listenPort
        logger.info("BitTorrent engine listening on port \(port) (DHT \(config.torrent.enableDht ? "on" : "off"))")
        let registry = PrometheusCollectorRegistry()
        // Indexer pauses (429 / Retry-After) outlive a restart: kept beside the database.
        let indexerHealth = IndexerHealth(path: config.indexerPausesPath(nodeId: shared == nil ? nil : nodeId))
        let search = CandidateSearch(indexers: config.indexerClients(), health: indexerHealth)
        let orchestrator = Orchestrator(
            database: database, stages: stages(config, database, torrents, matcher: matcher, search: search, scratch: ".metadata" + nodeFolder),
            settings: PipelineSettings(
                maxParallelTickets: config.processing.maxParallelTickets,
                maxParallelDownloads: config.processing.maxParallelDownloads,
                checkInterval: TimeInterval(config.processing.checkIntervalSecs),
                retry: RetryPolicy(
                    maxAttempts: config.processing.retryMaxAttempts,
                    initialDelay: TimeInterval(config.processing.retryInitialDelaySecs),
                    maxDelay: TimeInterval(config.processing.retryMaxDelaySecs)),
                fallbackMinScore: config.matcher.autoApproveThreshold,
                wanted: config.wanted.enabled
                    ? WantedPolicy(intervals: config.wanted.intervals ?? [], giveUpAfter: TimeInterval(config.wanted.giveUpDays) * 86_400) : nil,
                // Under fake_lossless = "flag" (or "off") nothing is held back, so neither is a suspect release.
                acceptSuspects: config.verify.suspects == "accept" || config.verify.fakeLossless != "reject"),
            metrics: PipelineMetrics(factory: PrometheusMetricsFactory(registry: registry)),
            logger: logger)
        let bandwidth = BandwidthScheduler(
            session: torrents, normal: (config.torrent.maxDownloadKbps, config.torrent.maxUploadKbps),
            alternative: (config.torrent.altDownloadKbps, config.torrent.altUploadKbps),
            schedule: (try? BandwidthSchedule(parsing: config.torrent.altSchedule)) ?? BandwidthSchedule.never, logger: logger)
        let notifier = Notifier(targets: config.notify, database: database, events: orchestrator.events, logger: logger)
        let rss = RSSSync(
            indexers: config.wanted.enabled ? search.indexers : [], database: database, orchestrator: orchestrator,
            interval: .seconds(config.wanted.rssIntervalMins * 60), health: indexerHealth, logger: logger)
        let remoteEvents = EventBus()
        let seedingReport = SeedingBudgetReport()
        let health = HealthMonitor(
            config: config, logger: logger, indexers: indexerHealth,
            live: { notifier.healthChecks() + HealthChecks.seeding(seedingReport.verdict) })
        let app = buildApplication(
            ServerDependencies(
                config: config, database: database, orchestrator: orchestrator, authToken: token, logger: logger, metrics: registry,
                sampleGauges: { registry in
                    var downloaded: Int64 = 0, uploaded: Int64 = 0
                    for hash in await torrents.torrents {
                        guard let progress = try? await torrents.progress(hash) else { continue }
                        downloaded += progress.allTimeDownload
                        uploaded += progress.allTimeUpload
                    }
                    registry.makeGauge(name: "downloader2_torrent_downloaded_bytes").set(Double(downloaded))
                    registry.makeGauge(name: "downloader2_torrent_uploaded_bytes").set(Double(uploaded))
                }, health: health, bandwidth: { bandwidth.current }, rss: { rss.last }, remoteEvents: remoteEvents, cluster: shared?.store,
                search: InteractiveSearch(
                    search: search, autoApproveThreshold: config.matcher.autoApproveThreshold, preferFreeleech: config.matcher.preferFreeleech),
                seeding: SeedingSource(report: seedingReport) { await SeedingOverview.entries(torrents: torrents, database: database) }))
        let where_ = shared == nil ? config.database.path : "\(PostgresStore.redacted(config.database.url)) as node \(nodeId)"
        logger.info("downloader2 \(ServiceInfo.version) listening on \(config.server.host):\(config.server.port), database \(where_)")
        var clusterServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let shared {
            clusterServices.append(
                .init(service: ClusterMembership(store: shared.store, orchestrator: orchestrator, remoteEvents: remoteEvents, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: torrents), .init(service: orchestrator), .init(service: app), .init(service: health), .init(service: notifier),
                    .init(service: bandwidth), .init(service: rss),
                    .init(service: MemoryTrimmer(logger: logger, isIdle: { await orchestrator.activeTicketCount == 0 })),
                    .init(service: StateChangeJournal(events: orchestrator.events, logger: logger)),
                    .init(
                        service: PayloadCleaner(
                            torrents: torrents, database: database, downloadRoot: config.torrent.downloadPath,
                            keepPayload: config.torrent.keepPayload, maxSeedingBytes: Int64((config.seeding.maxDiskGb * 1e9).rounded()),
                            report: seedingReport,
                            heldElsewhere: { try? await shared?.store.ticketsHeldByOtherNodes() }, logger: logger)),
                ] + clusterServices,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// With `[database] url`: the shared PostgreSQL store, its client running and its migrations
    /// applied (waiting up to a minute for the database to answer), and the task that runs it.
    static func openShared(_ config: AppConfig, nodeId: String, logger: Logger) async throws -> (store: PostgresStore, task: Task<Void, Never>)? {
        guard !config.database.url.isEmpty else { return nil }
        if let password = URLComponents(string: config.database.url)?.password, !password.isEmpty { Secrets.shared.register(password) }
        let store = try PostgresStore(
            url: config.database.url,
            options: .init(
                nodeId: nodeId, leaseSecs: Double(config.cluster.leaseSecs), maxParallelDownloads: config.processing.maxParallelDownloads,
                address: "\(config.server.host):\(config.server.port)"),
            logger: logger)
        let task = Task<Void, Never> { _ = try? await store.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                try await store.migrate()
                try await store.registerNode()
                return (store, task)
            } catch let error as StorageError where ContinuousClock.now < deadline {
                logger.warning("PostgreSQL at \(PostgresStore.redacted(config.database.url)) does not answer yet (\(error)); trying again")
                try await Task.sleep(for: .seconds(2))
            } catch {
                task.cancel()
                throw ValidationError("PostgreSQL at \(PostgresStore.redacted(config.database.url)): \(error)")
            }
        }
    }

    /// The real stages: indexers, matcher, BitTorrent engine, libav, placement.
    private func stages(
        _ config: AppConfig, _ database: any TicketStore, _ torrents: TorrentSession, matcher: any Matcher, search: CandidateSearch, scratch: String
    ) -> PipelineStages {
        let lister = CandidateFileLister(
            torrents: torrents, scratchDirectory: (config.torrent.downloadPath as NSString).appendingPathComponent(scratch),
            metadataTimeout: .seconds(config.torrent.metadataTimeoutSecs))
        let placer = Placer(
            mediaRoots: MediaRoots(config.placer.mediaRoots),
            options: .init(
                overwrite: config.placer.overwrite,
                directoryMode: AppConfig.octalMode(config.placer.dirMode) ?? 0o755,
                fileMode: AppConfig.octalMode(config.placer.fileMode) ?? 0o644,
                owner: config.placer.owner.isEmpty ? nil : AppConfig.ownerIDs(config.placer.owner)))
        let download = TorrentDownloadStage(
            torrents: torrents, downloadRoot: config.torrent.downloadPath, metadataTimeout: .seconds(config.torrent.metadataTimeoutSecs),
            database: database,
            partialSuccess: PartialSuccess(rawValue: config.processing.partialSuccess) ?? .fail, seedingRules: config.seedingRules)
        let convert = AudioConvertStage(
            converter: AudioConverter(width: config.converter.maxParallelConversions), workRoot: config.converter.tempDir,
            durationToleranceSecs: config.converter.durationToleranceSecs,
            partialSuccess: PartialSuccess(rawValue: config.processing.partialSuccess) ?? .fail,
            replayGain: ReplayGainMode(rawValue: config.converter.replaygain) ?? .album, opusReplayGain: config.converter.opusReplaygainTags,
            coverArchive: config.cover.fetch ? CoverArchive(baseURL: config.cover.archiveURL) : nil)
        return PipelineStages(
            search: IndexerSearchStage(search: search, lister: lister),
            match: CandidateMatchStage(matcher: matcher, verifiesDownloads: config.verify.fakeLossless != "off"),
            download: download, convert: convert, place: FilePlacementStage(placer: placer, database: database),
            verify: ReleaseVerifyStage(
                fakeLossless: FakeLosslessPolicy(rawValue: config.verify.fakeLossless) ?? .reject,
                durationToleranceSecs: config.converter.durationToleranceSecs,
                partialSuccess: PartialSuccess(rawValue: config.processing.partialSuccess) ?? .fail))
    }
}
