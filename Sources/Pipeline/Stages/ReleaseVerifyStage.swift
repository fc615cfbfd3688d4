import Audio
import Basics
import Foundation
import Matching
import Storage
import Synchronization
import Tickets

/// `[verify] fake_lossless`: what a lossless release whose spectrum says "transcode" gets.
public enum FakeLosslessPolicy: String, Sendable, CaseIterable {
    /// Refused: blocklisted, and the ticket falls back to the next approved release.
    case reject
    /// Recorded in the ticket's history, and converted anyway.
    case flag
    /// Not analysed.
    case off
}

/// One downloaded file as verification found it.
public struct VerifiedFile: Sendable, Codable, Equatable {
    /// Relative to the download folder.
    public var path: String
    public var catalogTrackIds: [String]
    public var codec: String?
    public var sampleRate: Int?
    public var bitsPerSample: Int?
    public var durationSecs: Double?
    /// The ticket's duration for the track, when one file is one track and the ticket gives it.
    public var expectedSecs: Double?
    public var lossless: Bool?
    public var verdict: LosslessVerdict?
    public var cutoffHz: Int?
    public var dropDb: Double?
    public var evidence: String?
    /// The CRC-32 of the file's audio as 16-bit PCM and the copy CRC the release's rip log gives for
    /// its track (hexadecimal), when a log gives one.
    public var crc: String?
    public var logCrc: String?
    /// What is wrong with the file, when something is.
    public var problem: String?

    public init(
        path: String, catalogTrackIds: [String], codec: String? = nil, lossless: Bool? = nil, verdict: LosslessVerdict? = nil, cutoffHz: Int? = nil,
        evidence: String? = nil, problem: String? = nil
    ) {
        self.path = path
        self.catalogTrackIds = catalogTrackIds
        self.codec = codec
        self.lossless = lossless
        self.verdict = verdict
        self.cutoffHz = cutoffHz
        self.evidence = evidence
        self.problem = problem
    }
}

/// What verification found in a downloaded release, and whether it may be converted.
public struct VerificationReport: Sendable, Codable, Equatable {
    public var accepted: Bool
    /// The release's fake-lossless verdict (nil when no file was lossless or the analysis is off).
    public var verdict: LosslessVerdict?
    public var files: [VerifiedFile]
    /// Why the release is refused (empty when accepted); a fake-lossless verdict under `flag` is a note, not a problem.
    public var problems: [String]
    public var notes: [String]
    /// One line per EAC/XLD log the release carries (ripper, secure mode, AccurateRip, errors).
    public var ripLogs: [String] = []

    public init(accepted: Bool, verdict: LosslessVerdict?, files: [VerifiedFile], problems: [String], notes: [String] = []) {
        self.accepted = accepted
        self.verdict = verdict
        self.files = files
        self.problems = problems
        self.notes = notes
    }

    /// The report as stored in the `verified` event and the blocklist's evidence.
    public var json: JSONValue {
        (try? JSONValue(json: TicketJSON.encoder().encode(self))) ?? .object([:])
    }
}

/// Looks inside a finished download before anything is converted (issue: Trust but verify).
public protocol VerifyStage: Sendable {
    /// Checks every selected file; `accepted == false` means the release must not be converted.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks the files must be.
    ///   - download: The finished download's files.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: What was found in each file, and whether the release may be converted; when it may not, `problems` says why.
    /// - Throws: ``StageInterrupted`` when the ticket is cancelled or paused, another node takes it over, or the service stops.
    func verify(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> VerificationReport
    /// Checks one file as soon as it is complete; the early conversion pass converts only files that pass.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose track it is.
    ///   - track: The track whose source file just completed.
    /// - Returns: True when the file may be converted now; false leaves it to the final pass, after the whole release is verified.
    func passesEarly(_ ticket: StoredTicket, track: ReadyTrack) async -> Bool
}

/// Verification that accepts everything unseen (tests that are about other stages).
public struct NoVerification: VerifyStage {
    public init() {}
    /// Accepts the release without looking at it.
    ///
    /// - Returns: An accepted report that names no file.
    public func verify(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> VerificationReport {
        VerificationReport(accepted: true, verdict: nil, files: [], problems: [])
    }
    public func passesEarly(_ ticket: StoredTicket, track: ReadyTrack) async -> Bool { true }
}

/// The verify stage: every selected file is probed and sampled in-process (``AudioInspector``): it must
/// decode, last as long as the ticket's track (within `[converter] duration_tolerance_secs`), be lossless
/// when its name or the ticket's format says so, and, for lossless files, not be a lossy transcode
/// (``FakeLosslessDetector``, under `[verify] fake_lossless`). Each file is inspected once: the early
/// pass's results are kept for the final check.
public final class ReleaseVerifyStage: VerifyStage {
    let fakeLossless: FakeLosslessPolicy
    let durationToleranceSecs: Double
    let partialSuccess: PartialSuccess
    private let inspected = Mutex<[String: Result<TrackInspection, AudioError>]>([:])

    /// With `partialSuccess` `.completeFlagged`, a damaged or wrong file is a note (the convert stage
    /// then reports its track missing) unless every file is; a fake-lossless release is refused either way.
    ///
    /// - Parameters:
    ///   - fakeLossless: What a lossless release whose spectrum says "transcode" gets (`[verify] fake_lossless`); a rip
    ///     log's CRC mismatch is refused under `.reject` too, and noted otherwise.
    ///   - durationToleranceSecs: How far, in seconds, a file's length may be from the ticket's track.
    ///   - partialSuccess: Whether a damaged or wrong file refuses the release or is only noted.
    public init(fakeLossless: FakeLosslessPolicy = .reject, durationToleranceSecs: Double = 2, partialSuccess: PartialSuccess = .fail) {
        self.fakeLossless = fakeLossless
        self.durationToleranceSecs = durationToleranceSecs
        self.partialSuccess = partialSuccess
    }

    static let losslessExtensions = AudioFileEvidence.losslessExtensions

    /// Inspects one file as soon as it is complete; the result is kept for the final check.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose track it is.
    ///   - track: The track whose source file just completed.
    /// - Returns: True when the file decodes, lasts as long as the ticket's track, is lossless when it should be, and is
    ///   not a transcode `fakeLossless` refuses.
    public func passesEarly(_ ticket: StoredTicket, track: ReadyTrack) async -> Bool {
        let file = await check(path: track.path, trackIds: [track.catalogTrackId], isCue: track.cueTrack != nil, ticket: ticket.ticket, base: "")
        return file.problem == nil && !(fakeLossless == .reject && file.verdict == .transcode)
    }

    /// Inspects every selected file (once: the early pass's results are reused) and checks the release's rip logs.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks the files must be.
    ///   - download: The finished download's files and rip logs.
    ///   - context: The ticket's stop flag, checked before each file.
    /// - Returns: Each file as inspected, the release's fake-lossless verdict, a line per rip log, and whether the
    ///   release is accepted. It is refused for a damaged, short or lossy file (with partial success allowed, only
    ///   when every file is one), for a lossless transcode under `.reject`, and for audio whose CRC differs from
    ///   its rip log's under `.reject`.
    /// - Throws: ``StageInterrupted`` when the ticket is cancelled or paused, another node takes it over, or the service stops.
    public func verify(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> VerificationReport {
        var trackIdsByPath: [String: [String]] = [:]
        for track in ticket.ticket.tracks {
            if let path = download.filesByTrackId[track.catalogTrackId] { trackIdsByPath[path, default: []].append(track.catalogTrackId) }
        }
        var files: [VerifiedFile] = []
        for (path, ids) in trackIdsByPath.sorted(by: { $0.key < $1.key }) {
            try context.checkCancellation()
            let isCue = ids.contains { download.cueTrackByTrackId[$0] != nil }
            files.append(await check(path: path, trackIds: ids, isCue: isCue, ticket: ticket.ticket, base: download.directory))
        }
        forget(Array(trackIdsByPath.keys))
        let (ripLogs, mismatches) = try await checkRipLogs(ticket.ticket, download: download, files: &files, context: context)
        let fileProblems = files.compactMap { file in file.problem.map { "\(file.path): \($0)" } }
        var problems: [String] = []
        var notes: [String] = []
        if partialSuccess == .completeFlagged && fileProblems.count < files.count {
            notes += fileProblems
        } else {
            problems += fileProblems
        }
        let verdicts = files.compactMap(\.verdict)
        let verdict = verdicts.isEmpty ? nil : releaseVerdict(verdicts)
        if let verdict, verdict != .genuine {
            let transcodes = verdicts.filter { $0 == .transcode }.count
            let suspects = verdicts.filter { $0 == .suspect }.count
            let cutoffs = Set(files.compactMap { $0.verdict == .genuine ? nil : $0.cutoffHz }.map { "\(($0 + 50) / 100 * 100) Hz" }).sorted()
            let summary =
                "fake lossless: \(transcodes) of \(verdicts.count) lossless files are lossy transcodes"
                + (suspects > 0 ? ", \(suspects) suspect" : "") + " (cutoff at \(cutoffs.joined(separator: ", ")))"
            if verdict == .transcode && fakeLossless == .reject { problems.append(summary) } else { notes.append(summary) }
        }
        if !mismatches.isEmpty {
            let summary = "the audio is not the rip its log describes: " + mismatches.joined(separator: "; ")
            if fakeLossless == .reject { problems.append(summary) } else { notes.append(summary) }
        }
        var report = VerificationReport(accepted: problems.isEmpty, verdict: verdict, files: files, problems: problems, notes: notes)
        report.ripLogs = ripLogs
        return report
    }

    /// Reads the release's EAC/XLD logs and compares each track's copy CRC with the CRC of its file's
    /// audio (a log's track N is the ticket's track N whose file sits in the log's folder). Returns
    /// one summary per log and the mismatches in words.
    private func checkRipLogs(
        _ ticket: Ticket, download: DownloadResult, files: inout [VerifiedFile], context: StageContext
    ) async throws -> ([String], [String]) {
        var summaries: [String] = []
        var mismatches: [String] = []
        for logPath in download.ripLogPaths {
            guard let log = try? RipLog.read(path: logPath) else { continue }
            summaries.append("\((logPath as NSString).lastPathComponent): \(log.summary)")
            let folder = (logPath as NSString).deletingLastPathComponent
            for logTrack in log.tracks {
                guard let expected = logTrack.copyCRC,
                    let track = ticket.tracks.first(where: { track in
                        track.trackNumber == logTrack.number && download.cueTrackByTrackId[track.catalogTrackId] == nil
                            && download.filesByTrackId[track.catalogTrackId].map { ($0 as NSString).deletingLastPathComponent == folder } == true
                    }),
                    let path = download.filesByTrackId[track.catalogTrackId],
                    let index = files.firstIndex(where: { $0.catalogTrackIds.contains(track.catalogTrackId) }), files[index].problem == nil
                else { continue }
                try context.checkCancellation()
                guard let actual = await runBlocking({ try? AudioInspector.pcmCRC32(path: path) }) else { continue }
                files[index].crc = Self.hex(actual)
                files[index].logCrc = Self.hex(expected)
                if actual != expected {
                    mismatches.append(
                        "\(files[index].path) has CRC \(Self.hex(actual)), the log's copy CRC for track \(logTrack.number) is \(Self.hex(expected))")
                }
            }
        }
        return (summaries, mismatches)
    }

    static func hex(_ value: UInt32) -> String { String(format: "%08X", value) }

    private func check(path: String, trackIds: [String], isCue: Bool, ticket: Ticket, base: String) async -> VerifiedFile {
        let relative = base.isEmpty || !path.hasPrefix(base + "/") ? (path as NSString).lastPathComponent : String(path.dropFirst(base.count + 1))
        var file = VerifiedFile(path: relative, catalogTrackIds: trackIds)
        let result = await inspection(of: path)
        let inspection: TrackInspection
        switch result {
        case .failure(let error):
            file.problem = error.isSourceDefect ? "does not decode: \(error)" : "could not be checked: \(error)"
            return file
        case .success(let found):
            inspection = found
        }
        let info = inspection.info
        file.codec = info.codec
        file.sampleRate = info.sampleRate
        file.bitsPerSample = info.bitsPerSample
        file.durationSecs = (info.durationSecs * 100).rounded() / 100
        file.lossless = inspection.lossless
        if let spectral = inspection.spectral {
            file.verdict = spectral.verdict
            file.cutoffHz = spectral.cutoffHz
            file.dropDb = spectral.dropDB
            file.evidence = spectral.evidence
        }
        let ext = (path as NSString).pathExtension.lowercased()
        if !inspection.lossless && Self.losslessExtensions.contains(ext) {
            file.problem = "named .\(ext) but holds lossy \(info.codec) audio"
        } else if !inspection.lossless && ticket.constraints.format.isLossless {
            file.problem = "lossy \(info.codec) audio, and the ticket asks for \(ticket.constraints.format.rawValue)"
        } else if !isCue, trackIds.count == 1, let track = ticket.tracks.first(where: { $0.catalogTrackId == trackIds[0] }),
            let expected = track.durationSecs, expected > 0
        {
            file.expectedSecs = Double(expected)
            if abs(info.durationSecs - Double(expected)) > durationToleranceSecs {
                file.problem = "lasts \(Self.clock(info.durationSecs)), the ticket's track '\(track.name)' \(Self.clock(Double(expected)))"
            }
        }
        return file
    }

    /// The file's inspection, computed once (off the cooperative pool: it decodes).
    private func inspection(of path: String) async -> Result<TrackInspection, AudioError> {
        if let known = inspected.withLock({ $0[path] }) { return known }
        let analyse = fakeLossless != .off
        let result: Result<TrackInspection, AudioError> = await runBlocking {
            do {
                return .success(try AudioInspector.inspect(path: path, analyseSpectrum: analyse))
            } catch let error as AudioError {
                return .failure(error)
            } catch {
                return .failure(.unreadable(path: path, reason: "\(error)"))
            }
        }
        inspected.withLock { $0[path] = result }
        return result
    }

    private func forget(_ paths: [String]) {
        inspected.withLock { cache in for path in paths { cache[path] = nil } }
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return "\(whole / 60):\(String(format: "%02d", whole % 60))"
    }
}
