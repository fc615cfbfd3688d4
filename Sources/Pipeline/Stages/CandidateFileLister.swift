import Audio
import Basics
import Foundation
import Matching
import Search
import Tickets
import Torrent

/// Gives each candidate its file list before anything is downloaded, so matching can look inside:
/// the indexer's list if it sent one, else the .torrent fetched over HTTP, else the magnet's
/// metadata from the swarm (payload held, the torrent dropped afterwards). At most `width`
/// candidates are resolved at once. Each candidate records where its list came from, or why it has none.
public struct CandidateFileLister: Sendable {
    let fetcher: HTTPFetcher
    let torrents: TorrentSession?
    let scratchDirectory: String
    let metadataTimeout: Duration
    let earlyTimeout: Duration
    let width: Int
    /// Two candidates can name one torrent (an indexer's link that redirects to a magnet another
    /// listed): the torrent is removed only when the last of them is done with it.
    private let users = MagnetUsers()

    /// A lister that fetches .torrent files with `fetcher` and magnets' metadata through `torrents`.
    ///
    /// - Parameters:
    ///   - fetcher: Fetches the candidates' .torrent links.
    ///   - torrents: The engine a magnet's metadata, and a release's CUE sheets and rip logs, are fetched through; nil
    ///     leaves a candidate with only a magnet link without a list.
    ///   - scratchDirectory: Where a torrent added only for its file list or small files writes; its data is removed afterwards.
    ///   - metadataTimeout: The longest wait for a magnet's metadata.
    ///   - earlyTimeout: The shorter wait that applies once a peer has connected.
    ///   - width: The most candidates resolved at once; less than 1 counts as 1.
    public init(
        fetcher: HTTPFetcher = HTTPFetcher(), torrents: TorrentSession?, scratchDirectory: String,
        metadataTimeout: Duration = .seconds(30), earlyTimeout: Duration = .seconds(15), width: Int = 4
    ) {
        self.fetcher = fetcher
        self.torrents = torrents
        self.scratchDirectory = scratchDirectory
        self.metadataTimeout = metadataTimeout
        self.earlyTimeout = earlyTimeout
        self.width = max(1, width)
    }

    /// Gives every candidate its file list, at most `width` at a time.
    ///
    /// - Parameter candidates: The search's results.
    /// - Returns: The candidates in the same order, each with its file list and where it came from, or why it has
    ///   none (`filesUnavailableReason`).
    public func resolve(_ candidates: [TorrentCandidate]) async -> [TorrentCandidate] {
        await withTaskGroup(of: (Int, TorrentCandidate).self) { group in
            var resolved = candidates
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask { (index, await self.resolve(one: candidates[index])) }
            }
            while next < min(width, candidates.count) { launch() }
            for await (index, candidate) in group {
                resolved[index] = candidate
                if next < candidates.count { launch() }
            }
            return resolved
        }
    }

    func resolve(one original: TorrentCandidate) async -> TorrentCandidate {
        var candidate = original
        if candidate.files != nil {
            candidate.filesSource = candidate.filesSource ?? "indexer"
            return candidate
        }
        var reasons: [String] = []
        if let url = candidate.downloadUrl {
            do {
                switch try await fetcher.get(url) {
                case .magnet(let magnet):
                    candidate.magnetUri = magnet
                case .body(let data, _, _, _):
                    let metadata = try TorrentMetadata.parse(torrentFile: data)
                    var listed = with(metadata, source: "torrent_file", into: candidate)
                    let early = await earlyFiles(torrentFile: data, metadata, peers: directPeers(candidate.magnetUri))
                    listed.cueSheets = early?.sheets
                    listed.ripLogs = early?.logs
                    return listed
                }
            } catch {
                reasons.append(".torrent from \(url): \(error)")
            }
        }
        if let magnet = candidate.magnetUri {
            if let torrents {
                do {
                    let key = infoHash(ofMagnet: magnet) ?? magnet
                    if await isHeldElsewhere(key) {
                        // A download of this very torrent is running: read its file list, touch nothing.
                        let found = try await torrents.waitForMetadata(key, timeout: metadataTimeout, earlyTimeout: earlyTimeout)
                        return with(found, source: "magnet_metadata", into: candidate)
                    }
                    // Registered before adding, so no other resolution of the same torrent removes it meanwhile.
                    await users.enter(key)
                    let hash: String
                    do {
                        hash = try await torrents.add(magnet: magnet, savePath: scratchDirectory, holdPayload: true)
                    } catch {
                        _ = await users.leave(key)
                        throw error
                    }
                    let metadata: Result<TorrentMetadata, any Error>
                    var early: EarlyFiles?
                    do {
                        let found = try await torrents.waitForMetadata(hash, timeout: metadataTimeout, earlyTimeout: earlyTimeout)
                        metadata = .success(found)
                        early = await readEarlyFiles(hash, found)
                    } catch {
                        metadata = .failure(error)
                    }
                    // Only the file list (and the sheets and logs) was wanted: the torrent and its scratch data go.
                    if await users.leave(key) { try? await torrents.remove(hash, deleteFiles: true) }
                    var listed = with(try metadata.get(), source: "magnet_metadata", into: candidate)
                    listed.cueSheets = early?.sheets
                    listed.ripLogs = early?.logs
                    return listed
                } catch {
                    reasons.append("magnet metadata: \(error)")
                }
            } else {
                reasons.append("magnet metadata: no torrent engine available")
            }
        }
        if reasons.isEmpty { reasons.append("the indexer gave neither a file list, a .torrent link nor a magnet link") }
        candidate.filesUnavailableReason = Secrets.shared.redact(reasons.joined(separator: "; "))
        return candidate
    }

    /// The small files read before the download: the CUE sheets beside images, and the EAC/XLD logs
    /// of a lossless release (a candidate's score weighs its rip).
    struct EarlyFiles {
        var sheets: [String: [String]]?
        var logs: [RipLogNote]?
    }

    /// Logs read ahead: `.log` files of at most 1 MiB beside lossless audio, at most four.
    static let earlyLogLimit = 4

    /// The files worth fetching alone before the download.
    private func earlyPaths(_ metadata: TorrentMetadata) -> (sheets: Set<String>, logs: Set<String>) {
        let entries = listing(metadata)
        let sheets = Set(TrackFileMatcher.imageCueSheets(entries))
        let losslessFolders = Set(
            entries.filter { AudioFileEvidence.isAudio($0.path) && AudioFileEvidence.isLosslessName($0.path) }
                .map { ($0.path as NSString).deletingLastPathComponent })
        let logs = entries.filter { entry in
            (entry.path as NSString).pathExtension.lowercased() == "log" && entry.sizeBytes <= 1 << 20
                && losslessFolders.contains((entry.path as NSString).deletingLastPathComponent)
        }.prefix(Self.earlyLogLimit).map(\.path)
        return (sheets, Set(logs))
    }

    /// A .torrent's early files: the torrent is added for them alone, then dropped with its data.
    private func earlyFiles(torrentFile: Data, _ metadata: TorrentMetadata, peers: [String]) async -> EarlyFiles? {
        let paths = earlyPaths(metadata)
        let wanted = Set(metadata.files.filter { paths.sheets.contains($0.path) || paths.logs.contains($0.path) }.map(\.index))
        guard let torrents, !wanted.isEmpty, await !isHeldElsewhere(metadata.infoHash) else { return nil }
        let key = metadata.infoHash
        await users.enter(key)
        var early: EarlyFiles?
        if let hash = try? await torrents.add(torrentFile: torrentFile, savePath: scratchDirectory, wantedFiles: wanted, peers: peers) {
            early = await readEarlyFiles(hash, metadata, paths: paths)
            if await users.leave(key) { try? await torrents.remove(hash, deleteFiles: true) }
        } else {
            _ = await users.leave(key)
        }
        return early
    }

    /// Downloads a torrent's early files alone (within `earlyTimeout`) and reads them: each sheet's
    /// track titles, each log's summary. Files that did not arrive or do not parse are left out.
    private func readEarlyFiles(
        _ hash: String, _ metadata: TorrentMetadata, paths known: (sheets: Set<String>, logs: Set<String>)? = nil
    ) async -> EarlyFiles? {
        guard let torrents else { return nil }
        let paths = known ?? earlyPaths(metadata)
        let wanted = metadata.files.filter { paths.sheets.contains($0.path) || paths.logs.contains($0.path) }
        // The same torrent may have been added a moment ago from a magnet whose metadata is still on its way.
        guard !wanted.isEmpty, (try? await torrents.waitForMetadata(hash, timeout: metadataTimeout, earlyTimeout: earlyTimeout)) != nil,
            (try? await torrents.selectFiles(hash, wanted: Set(wanted.map(\.index)))) != nil
        else { return nil }
        let deadline = ContinuousClock.now + earlyTimeout
        while ContinuousClock.now < deadline {
            if let progress = try? await torrents.fileProgress(hash),
                wanted.allSatisfy({ progress.indices.contains($0.index) && progress[$0.index] >= $0.size })
            {
                var sheets: [String: [String]] = [:]
                var logs: [RipLogNote] = []
                for file in wanted {
                    let path = (scratchDirectory as NSString).appendingPathComponent(file.path)
                    if paths.sheets.contains(file.path) {
                        guard let bytes = try? readUntrustedFile(atPath: path, kind: .cueSheet), let sheet = try? CueSheet.parse(bytes) else {
                            continue
                        }
                        sheets[file.path] = sheet.tracks.map { $0.title ?? "" }
                    } else if let bytes = try? readUntrustedFile(atPath: path, kind: .ripLog),
                        let log = try? RipLog.parse(CueTextDecoder.decode(bytes).text)
                    {
                        logs.append(
                            RipLogNote(path: file.path, summary: log.summary, clean: log.isClean, accurateRipVerified: log.isAccurateRipVerified))
                    }
                }
                return EarlyFiles(sheets: sheets.isEmpty ? nil : sheets, logs: logs.isEmpty ? nil : logs.sorted { $0.path < $1.path })
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// The engine has this torrent and no resolution of ours added it: it belongs to a download.
    private func isHeldElsewhere(_ hash: String) async -> Bool {
        guard let torrents else { return false }
        let inEngine = await torrents.torrents.contains(hash.lowercased())
        let ours = await users.isUsing(hash)
        return inEngine && !ours
    }

    /// The `x.pe` peers of a magnet link the indexer also gave (a .torrent has only its trackers).
    private func directPeers(_ magnet: String?) -> [String] {
        guard let magnet, let items = URLComponents(string: magnet)?.queryItems else { return [] }
        return items.filter { $0.name == "x.pe" }.compactMap(\.value)
    }

    private func listing(_ metadata: TorrentMetadata) -> [TorrentFileEntry] {
        metadata.files.filter { !$0.isPadding }.map { TorrentFileEntry(path: $0.path, sizeBytes: $0.size) }
    }

    private func with(_ metadata: TorrentMetadata, source: String, into candidate: TorrentCandidate) -> TorrentCandidate {
        var candidate = candidate
        candidate.files = listing(metadata)
        candidate.filesSource = source
        candidate.filesUnavailableReason = nil
        if candidate.infoHash.isEmpty { candidate.infoHash = metadata.infoHash }
        if candidate.sizeBytes == 0 { candidate.sizeBytes = metadata.totalSize }
        return candidate
    }
}

/// How many resolutions use each torrent right now.
private actor MagnetUsers {
    private var counts: [String: Int] = [:]

    func enter(_ hash: String) { counts[hash, default: 0] += 1 }

    func isUsing(_ hash: String) -> Bool { counts[hash] != nil }

    /// Whether the caller was the last user.
    func leave(_ hash: String) -> Bool {
        let remaining = counts[hash, default: 1] - 1
        counts[hash] = remaining > 0 ? remaining : nil
        return remaining <= 0
    }
}
