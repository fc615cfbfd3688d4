import Foundation
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
                    return with(metadata, source: "torrent_file", into: candidate)
                }
            } catch {
                reasons.append(".torrent from \(url): \(error)")
            }
        }
        if let magnet = candidate.magnetUri {
            if let torrents {
                do {
                    // Registered before adding, so no other resolution of the same torrent removes it meanwhile.
                    let key = infoHash(ofMagnet: magnet) ?? magnet
                    await users.enter(key)
                    let hash: String
                    do {
                        hash = try await torrents.add(magnet: magnet, savePath: scratchDirectory, holdPayload: true)
                    } catch {
                        _ = await users.leave(key)
                        throw error
                    }
                    let metadata: Result<TorrentMetadata, any Error>
                    do {
                        metadata = .success(try await torrents.waitForMetadata(hash, timeout: metadataTimeout, earlyTimeout: earlyTimeout))
                    } catch {
                        metadata = .failure(error)
                    }
                    // Only the file list was wanted: the torrent (and any scratch data) goes.
                    if await users.leave(key) { try? await torrents.remove(hash, deleteFiles: true) }
                    return with(try metadata.get(), source: "magnet_metadata", into: candidate)
                } catch {
                    reasons.append("magnet metadata: \(error)")
                }
            } else {
                reasons.append("magnet metadata: no torrent engine available")
            }
        }
        if reasons.isEmpty { reasons.append("the indexer gave neither a file list, a .torrent link nor a magnet link") }
        candidate.filesUnavailableReason = reasons.joined(separator: "; ")
        return candidate
    }

    private func with(_ metadata: TorrentMetadata, source: String, into candidate: TorrentCandidate) -> TorrentCandidate {
        var candidate = candidate
        candidate.files = metadata.files.filter { !$0.isPadding }.map { TorrentFileEntry(path: $0.path, sizeBytes: $0.size) }
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

    /// Whether the caller was the last user.
    func leave(_ hash: String) -> Bool {
        let remaining = counts[hash, default: 1] - 1
        counts[hash] = remaining > 0 ? remaining : nil
        return remaining <= 0
    }
}
