import Basics
import Audio
import Foundation
import Storage
import Tickets

/// The convert stage: every ticket track from its downloaded file (or its range of a CUE image) to
/// the requested format, tagged and with the cover, through the bounded ``AudioConverter`` pool,
/// into a per-ticket work folder the place stage moves from. Ticket images come from the release's
/// cover file, or from the picture embedded in its tracks.
public struct AudioConvertStage: ConvertStage {
    let converter: AudioConverter
    let workRoot: String
    let durationToleranceSecs: Double
    let partialSuccess: PartialSuccess
    /// Loudness tags (`[converter] replaygain`), and `REPLAYGAIN_*` beside `R128_*` in Opus files.
    let replayGain: ReplayGainMode
    let opusReplayGain: Bool
    /// Where a release with no cover of its own gets one, when `[cover] fetch` is on.
    let coverArchive: CoverArchive?

    /// A convert stage that works in `workRoot` through the `converter` pool.
    ///
    /// - Parameters:
    ///   - converter: The pool the tracks are converted through.
    ///   - workRoot: The folder under which each ticket gets a work folder named after it.
    ///   - durationToleranceSecs: How far, in seconds, a converted track's length may be from the ticket's.
    ///   - partialSuccess: Whether a track or image that cannot be produced fails the ticket or is left out and listed.
    ///   - replayGain: The loudness tags written (`[converter] replaygain`): album and track gains, track gains only, or none.
    ///   - opusReplayGain: Writes `REPLAYGAIN_*` tags beside `R128_*` in Opus files.
    public init(
        converter: AudioConverter, workRoot: String, durationToleranceSecs: Double = 2, partialSuccess: PartialSuccess = .fail,
        replayGain: ReplayGainMode = .album, opusReplayGain: Bool = false, coverArchive: CoverArchive? = nil
    ) {
        self.coverArchive = coverArchive
        self.replayGain = replayGain
        self.opusReplayGain = opusReplayGain
        self.partialSuccess = partialSuccess
        self.converter = converter
        self.workRoot = workRoot
        self.durationToleranceSecs = durationToleranceSecs
    }

    /// Converts every ticket track, as the final pass does when nothing was converted early.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks, format and tags are produced.
    ///   - download: The finished download's files.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The converted tracks and images in the ticket's work folder; see ``convert(_:download:early:context:)``.
    /// - Throws: The errors of ``convert(_:download:early:context:)``.
    public func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease {
        try await convert(ticket, download: download, early: EarlyConversions(), context: context)
    }

    /// Converts each track the download announces as complete, while the rest downloads. A track
    /// that fails here is simply converted again (and its error reported) by the final pass.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks are produced.
    ///   - tracks: The tracks whose source files are complete, as the download announces them; it ends with the download.
    ///   - context: The ticket's stop flag: a ticket cancelled meanwhile keeps nothing.
    /// - Returns: The outputs converted, by catalog track id, with their loudness and seconds of audio; a track that failed
    ///   is absent. Empty when the ticket was cancelled (its work folder is removed).
    public func convertEarly(_ ticket: StoredTicket, tracks: AsyncStream<ReadyTrack>, context: StageContext) async -> EarlyConversions {
        let workDir = (workRoot as NSString).appendingPathComponent(SafeName(ticket.id).value)
        let converter = self.converter
        return await withTaskGroup(of: (String, ConversionResult?).self) { group in
            var images: [String: CueImage] = [:]
            for await ready in tracks {
                guard let track = ticket.ticket.tracks.first(where: { $0.catalogTrackId == ready.catalogTrackId }) else { continue }
                let cover = ticket.ticket.constraints.embedCover ? ready.coverPath.flatMap { try? CoverArt(contentsOf: $0) } : nil
                guard
                    let job = try? job(
                        for: track, in: ticket.ticket, input: ready.path, cueTrack: ready.cueTrack, cover: cover, workDir: workDir, images: &images)
                else { continue }
                group.addTask { (track.catalogTrackId, try? await converter.convert(job)) }
            }
            var early = EarlyConversions()
            for await (id, result) in group {
                guard let result else { continue }
                early.outputs[id] = result.output
                if let loudness = result.loudness { early.loudness[id] = loudness }
                early.audioSeconds += result.sourceDurationSecs
            }
            // A ticket cancelled mid-download leaves no converted track behind.
            if context.stopFlag.reason == .cancelledByUser {
                try? FileManager.default.removeItem(atPath: workDir)
                return EarlyConversions()
            }
            return early
        }
    }

    /// Converts the tracks neither the early pass nor a paused conversion finished, writes the loudness tags, and makes the
    /// ticket's images from the release's cover.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks, format and tags are produced.
    ///   - download: The finished download's files.
    ///   - early: What the early pass converted; those outputs are reused while their files exist.
    ///   - context: Receives the album's progress; its stop flag ends or pauses the conversion.
    /// - Returns: Outputs by catalog track id and images by catalog image id in the ticket's work folder, the seconds of
    ///   audio converted, and, with partial success allowed, the tracks and images left out with why.
    /// - Throws: ``StageError`` when a track or image cannot be produced and partial success does not allow leaving it out:
    ///   `disk_full` is retryable; `missing_source`, `corrupt_source`, `conversion_failed`, `missing_image`,
    ///   `invalid_image`, `image_format` and `write_failed` are not. ``StageInterrupted`` when the ticket is cancelled (its
    ///   work folder is removed), paused (finished tracks are kept for the resume), taken over by another node, or the
    ///   service stops; `CancellationError` when the task is cancelled.
    public func convert(
        _ ticket: StoredTicket, download: DownloadResult, early: EarlyConversions, context: StageContext
    ) async throws -> ConvertedRelease {
        let workDir = (workRoot as NSString).appendingPathComponent(SafeName(ticket.id).value)
        do {
            var missing = Missing()
            let planned = try plannedTracks(ticket.ticket, download: download, workDir: workDir, missing: &missing)
            // Tracks converted early, or before a pause, are not converted again.
            let kept = PausedConversions.load(workDir).reusable(planned.map { ($0.track.catalogTrackId, $0.job) })
            let done = early.outputs.merging(kept) { early, _ in early }.filter { FileManager.default.fileExists(atPath: $0.value) }
            let tracks = planned.filter { done[$0.track.catalogTrackId] == nil }
            let results = try await convertWatchingForStop(tracks, context: context)
            if context.stopFlag.reason == .paused {
                // Paused: the tracks under way finished; they are kept for the resumed conversion.
                var finished = PausedConversions.load(workDir)
                for (planned, result) in zip(tracks, results) {
                    if case .success(let converted) = result { finished.record(planned.track.catalogTrackId, planned.job, output: converted.output) }
                }
                for (id, output) in done {
                    if let job = planned.first(where: { $0.track.catalogTrackId == id })?.job { finished.record(id, job, output: output) }
                }
                finished.save(workDir)
                throw StageInterrupted(reason: .paused)
            }
            let outputs = try collect(results, tracks: tracks, ticket: ticket.ticket, missing: &missing).merging(done) { new, _ in new }
            var loudness = early.loudness
            for (planned, result) in zip(tracks, results) {
                if case .success(let converted) = result, let measured = converted.loudness { loudness[planned.track.catalogTrackId] = measured }
            }
            let choice = await CoverChoice.choose(ticket.ticket, download: download, archive: coverArchive)
            if let choice { context.note(.coverChosen, choice.json) }
            // A cover fetched from the archive came after the tracks were converted: embedded with the loudness tags.
            let lateCover = ticket.ticket.constraints.embedCover && choice?.source == .archive ? choice?.cover : nil
            try await tagLoudness(outputs, measured: loudness, planned: planned, context: context, cover: lateCover)
            let images = try extractImages(ticket.ticket, cover: choice, workDir: workDir, missing: &missing)
            let seconds = early.audioSeconds + results.reduce(0.0) { total, result in total + ((try? result.get())?.sourceDurationSecs ?? 0) }
            return ConvertedRelease(
                outputsByTrackId: outputs, imagesByCatalogId: images, audioSeconds: seconds, missingTracks: missing.tracks,
                missingImages: missing.images)
        } catch let interrupted as StageInterrupted {
            if interrupted.reason == .cancelledByUser { try? FileManager.default.removeItem(atPath: workDir) }
            throw interrupted
        }
    }

    /// Measures what was not measured while converting (tracks kept from before a pause), then writes
    /// every track's loudness tags, with the album's gain gated over all its tracks, and `cover` into
    /// tracks that have no picture.
    private func tagLoudness(
        _ outputs: [String: String], measured: [String: TrackLoudness], planned: [PlannedTrack], context: StageContext, cover: CoverArt?
    ) async throws {
        guard replayGain != .off || cover != nil else { return }
        let jobs = Dictionary(planned.map { ($0.track.catalogTrackId, $0.job) }) { first, _ in first }
        let tagged = outputs.filter { jobs[$0.key]?.tags != nil }
        guard !tagged.isEmpty else { return }
        let mode = replayGain, opusReplayGain = self.opusReplayGain
        let started = ContinuousClock.now
        // Decoding and copying files: on a thread of its own, off the cooperative pool.
        let outcome: Result<(lufs: Double, peak: Double)?, StageError> = await runBlocking {
            var loudness = measured
            for (id, output) in tagged where mode != .off && loudness[id]?.meter == nil {
                if let meter = try? LoudnessMeter.measure(path: output) { loudness[id] = TrackLoudness(meter: meter) }
            }
            let measuredAll = tagged.keys.compactMap { loudness[$0] }
            let album = mode == .album && measuredAll.count == tagged.count ? ReplayGainTags.album(measuredAll) : nil
            for (id, output) in tagged {
                guard let job = jobs[id] else { continue }
                let gains = mode == .off ? nil : loudness[id].map { ReplayGainTags(track: $0, album: album) }
                guard gains != nil || cover != nil else { continue }
                do {
                    try ReplayGainWriter.write(gains, to: output, spec: job.spec, tags: job.tags, cover: cover, opusReplayGain: opusReplayGain)
                } catch AudioError.diskFull(let path) {
                    return .failure(StageError(code: "disk_full", message: "cannot write the loudness tags of \(path): disk full", retryable: true))
                } catch {
                    return .failure(
                        StageError(code: "conversion_failed", message: "cannot write the loudness tags of \(output): \(error)", retryable: false))
                }
            }
            return .success(album)
        }
        let album = try outcome.get()
        let took = ContinuousClock.now - started
        await context.reportProgress(
            .object([
                "stage": .string("converting"), "loudness": .string(mode.rawValue),
                "album_lufs": album.map { .number(($0.lufs * 100).rounded() / 100) } ?? .null,
                "loudness_tagging_secs": .number(
                    ((Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18) * 1000).rounded() / 1000),
            ]))
    }

    /// What partial success leaves out, with why.
    private struct Missing {
        var tracks: [String: String] = [:]
        var images: [String: String] = [:]
    }

    /// With partial success allowed, a track's problem is recorded and the album goes on; otherwise it ends the stage.
    private func skipOrThrow(_ error: StageError, track: TicketTrack, into missing: inout Missing) throws {
        guard partialSuccess == .completeFlagged, !error.retryable else { throw error }
        missing.tracks[track.catalogTrackId] = "\(error.code): \(error.message)"
    }

    private struct PlannedTrack {
        var track: TicketTrack
        var job: ConversionJob
    }

    private func plannedTracks(_ ticket: Ticket, download: DownloadResult, workDir: String, missing: inout Missing) throws -> [PlannedTrack] {
        let cover = ticket.constraints.embedCover ? download.coverPath.flatMap { try? CoverArt(contentsOf: $0) } : nil
        var images: [String: CueImage] = [:]
        var planned: [PlannedTrack] = []
        for track in ticket.tracks {
            guard let input = download.filesByTrackId[track.catalogTrackId] else {
                let reason = download.missingTracks[track.catalogTrackId] ?? "no downloaded file"
                try skipOrThrow(
                    StageError(code: "missing_source", message: "track \(track.catalogTrackId) '\(track.name)': \(reason)", retryable: false),
                    track: track, into: &missing)
                continue
            }
            do {
                let job = try job(
                    for: track, in: ticket, input: input, cueTrack: download.cueTrackByTrackId[track.catalogTrackId], cover: cover, workDir: workDir,
                    images: &images)
                planned.append(PlannedTrack(track: track, job: job))
            } catch let error as StageError {
                try skipOrThrow(error, track: track, into: &missing)
            }
        }
        return planned
    }

    /// One track's conversion: from its file, or its range of a CUE image, into the work folder.
    private func job(
        for track: TicketTrack, in ticket: Ticket, input file: String, cueTrack: Int?, cover: CoverArt?, workDir: String,
        images: inout [String: CueImage]
    ) throws -> ConversionJob {
        let constraints = ticket.constraints
        var input = file
        var range: SampleRange? = nil
        if let number = cueTrack {
            let image = try cueImage(for: input, cache: &images)
            guard let source = image.tracks.first(where: { $0.number == number }) else {
                throw StageError(code: "corrupt_source", message: "the CUE sheet for '\(input)' has no track \(number)", retryable: false)
            }
            input = source.input
            range = source.range
        }
        let ext = (track.destPath as NSString).pathExtension
        let output = (workDir as NSString).appendingPathComponent(
            "\(SafeName(track.catalogTrackId).value).\(ext.isEmpty ? constraints.format.fileExtension : ext)")
        return ConversionJob(
            input: input, range: range, output: output,
            spec: OutputSpec(format: constraints.format, bitrateKbps: constraints.bitrateKbps, sampleRateHz: constraints.sampleRateHz),
            tags: constraints.embedMetadata ? Self.tags(for: track, in: ticket) : nil,
            cover: cover, embedSourceCover: constraints.embedCover && cover == nil,
            expectedDurationSecs: track.durationSecs, durationToleranceSecs: durationToleranceSecs,
            measureLoudness: replayGain != .off && constraints.embedMetadata)
    }

    private func cueImage(for imagePath: String, cache: inout [String: CueImage]) throws -> CueImage {
        if let known = cache[imagePath] { return known }
        let folder = (imagePath as NSString).deletingLastPathComponent
        let sheets = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            ($0 as NSString).pathExtension.lowercased() == "cue"
        }.sorted()
        for sheet in sheets {
            guard let image = try? CueImage(cuePath: (folder as NSString).appendingPathComponent(sheet)),
                image.tracks.contains(where: { $0.input == imagePath })
            else { continue }
            cache[imagePath] = image
            return image
        }
        throw StageError(
            code: "corrupt_source", message: "no CUE sheet in '\(folder)' describes '\((imagePath as NSString).lastPathComponent)'", retryable: false)
    }

    /// Title and numbers from the track; album fields from `metadata_to_embed`, else the search.
    static func tags(for track: TicketTrack, in ticket: Ticket) -> TrackTags {
        let metadata = ticket.metadataToEmbed
        let artist = metadata?.artist ?? ticket.search.artist
        let onDisc = ticket.tracks.filter { $0.discNumber == track.discNumber }
        let discs = ticket.tracks.map(\.discNumber).max() ?? 1
        var tags = TrackTags(
            title: track.name, artist: artist, album: metadata?.album ?? ticket.search.album,
            albumArtist: metadata?.albumArtist ?? artist,
            trackNumber: track.trackNumber, trackTotal: max(onDisc.count, onDisc.map(\.trackNumber).max() ?? 0),
            discNumber: track.discNumber, discTotal: discs,
            date: (metadata?.year ?? ticket.search.year).map(String.init), genre: metadata?.genre ?? ticket.search.genres?.first,
            custom: ["CATALOG_TRACK_ID": track.catalogTrackId])
        tags.musicBrainz = MusicBrainzIds(
            releaseId: metadata?.musicbrainzReleaseId, releaseGroupId: metadata?.musicbrainzReleaseGroupId,
            albumArtistId: metadata?.musicbrainzAlbumArtistId, recordingId: track.musicbrainzRecordingId, releaseTrackId: track.musicbrainzTrackId)
        return tags
    }

    /// Runs the album while watching the ticket's stop flag, and forwards progress to live clients.
    private func convertWatchingForStop(_ tracks: [PlannedTrack], context: StageContext) async throws -> [Result<Audio.ConversionResult, AudioError>]
    {
        let (updates, sink) = AsyncStream<AlbumProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let converter = self.converter
        let named = tracks.map { (name: $0.track.name, job: $0.job) }
        return try await withThrowingTaskGroup(of: [Result<Audio.ConversionResult, AudioError>]?.self) { group in
            group.addTask {
                // A pause lets the tracks under way finish and starts no other.
                let results = await converter.convertAlbum(named, progress: { sink.yield($0) }, proceed: { context.stopFlag.reason == nil })
                sink.finish()
                return results
            }
            group.addTask {
                for await progress in updates {
                    await context.reportProgress(
                        .object([
                            "stage": .string("converting"), "current_track_idx": .number(Double(progress.currentTrackIdx)),
                            "total_tracks": .number(Double(progress.totalTracks)), "current_track_name": .string(progress.currentTrackName),
                            "finished_tracks": .number(Double(progress.finishedTracks)),
                            "percent": .number((progress.fraction * 1000).rounded() / 10),
                        ]))
                }
                return nil
            }
            group.addTask {
                while true {
                    if context.stopFlag.reason != .paused { try context.checkCancellation() }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            for try await value in group {
                if let results = value {
                    group.cancelAll()
                    return results
                }
            }
            throw CancellationError()
        }
    }

    /// Every track converted, or one error naming each failed track and why.
    private func collect(
        _ results: [Result<Audio.ConversionResult, AudioError>], tracks: [PlannedTrack], ticket: Ticket, missing: inout Missing
    ) throws -> [String: String] {
        var outputs: [String: String] = [:]
        var failures: [(PlannedTrack, AudioError)] = []
        for (planned, result) in zip(tracks, results) {
            switch result {
            case .success(let converted): outputs[planned.track.catalogTrackId] = converted.output
            case .failure(let error): failures.append((planned, error))
            }
        }
        guard !failures.isEmpty else { return outputs }
        let message = failures.map { "track \($0.0.track.trackNumber) '\($0.0.track.name)': \($0.1)" }.joined(separator: "; ")
        if failures.contains(where: { if case .diskFull = $0.1 { true } else { false } }) {
            throw StageError(code: "disk_full", message: message, retryable: true)
        }
        if partialSuccess == .completeFlagged, !outputs.isEmpty {
            for (planned, error) in failures {
                missing.tracks[planned.track.catalogTrackId] = "\(error.isSourceDefect ? "corrupt_source" : "conversion_failed"): \(error)"
            }
            return outputs
        }
        if failures.contains(where: { $0.1.isSourceDefect }) {
            throw StageError(code: "corrupt_source", message: message, retryable: false)
        }
        throw StageError(code: "conversion_failed", message: message, retryable: false)
    }

    /// Ticket images from the chosen cover (``CoverChoice``). The bytes are kept as they are when the
    /// format matches the destination's extension, and re-encoded (JPEG ↔ PNG) when it does not. A
    /// release with no cover at all completes without its images, each listed as missing with why.
    private func extractImages(_ ticket: Ticket, cover choice: CoverChoice?, workDir: String, missing: inout Missing) throws -> [String: String] {
        guard !ticket.images.isEmpty else { return [:] }
        guard let choice, let cover = choice.cover else {
            for image in ticket.images { missing.images[image.catalogImageId] = "missing_image: \(choice?.reason ?? CoverChoice.noCover)" }
            return [:]
        }
        do {
            return try extractImages(ticket, cover: cover, workDir: workDir)
        } catch let error as StageError where partialSuccess == .completeFlagged && !error.retryable {
            for image in ticket.images { missing.images[image.catalogImageId] = "\(error.code): \(error.message)" }
            return [:]
        }
    }

    private func extractImages(_ ticket: Ticket, cover: CoverArt, workDir: String) throws -> [String: String] {
        var images: [String: String] = [:]
        var converted: [CoverArt.Kind: CoverArt] = [cover.kind: cover]
        for image in ticket.images {
            let ext = (image.destPath as NSString).pathExtension.lowercased()
            let kind: CoverArt.Kind
            switch ext {
            case "jpg", "jpeg": kind = .jpeg
            case "png": kind = .png
            default:
                throw StageError(
                    code: "image_format",
                    message: "image \(image.catalogImageId): .\(ext) is not a cover format this service writes (jpg, jpeg, png)", retryable: false)
            }
            if converted[kind] == nil {
                do {
                    converted[kind] = try ImageConverter.convert(cover, to: kind)
                } catch {
                    throw StageError(
                        code: "image_format",
                        message: "image \(image.catalogImageId) wants .\(ext) and the release's \(cover.kind.rawValue) cover: \(error)",
                        retryable: false)
                }
            }
            let path = (workDir as NSString).appendingPathComponent("\(SafeName(image.catalogImageId).value).\(ext)")
            try? FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
            do {
                try writeWholeFile(atPath: path, converted[kind]!.data)
            } catch {
                throw StageError(
                    code: error.isDiskFull ? "disk_full" : "write_failed", message: "cannot write image \(image.catalogImageId): \(error)",
                    retryable: error.isDiskFull)
            }
            images[image.catalogImageId] = path
        }
        return images
    }
}

/// Tracks a paused conversion finished, kept in the ticket's work folder (`paused.json`) so that the
/// resumed conversion takes them as they are: a track is reused only for the same source, range and
/// output it was converted from and to.
struct PausedConversions: Codable {
    struct Entry: Codable, Equatable {
        var input: String
        var range: SampleRange?
        var output: String
    }

    var tracks: [String: Entry] = [:]

    static func file(_ workDir: String) -> String { (workDir as NSString).appendingPathComponent("paused.json") }

    static func load(_ workDir: String) -> PausedConversions {
        guard let data = FileManager.default.contents(atPath: file(workDir)),
            let kept = try? JSONDecoder().decode(PausedConversions.self, from: data)
        else { return PausedConversions() }
        return kept
    }

    mutating func record(_ trackId: String, _ job: ConversionJob, output: String) {
        tracks[trackId] = Entry(input: job.input, range: job.range, output: output)
    }

    func save(_ workDir: String) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: Self.file(workDir)), options: .atomic)
    }

    /// Outputs by track id for the planned jobs a pause already converted.
    func reusable(_ planned: [(String, ConversionJob)]) -> [String: String] {
        var outputs: [String: String] = [:]
        for (id, job) in planned {
            if let entry = tracks[id], entry == Entry(input: job.input, range: job.range, output: job.output) { outputs[id] = entry.output }
        }
        return outputs
    }
}
