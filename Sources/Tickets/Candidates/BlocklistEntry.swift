public import Foundation

/// A release that must not be downloaded again: its info-hash, why, and the evidence. With an album
/// scope (artist and album) it is dropped only from that album's searches; without, from every search.
public struct BlocklistEntry: Sendable, Codable, Equatable {
    public var infoHash: String
    /// The release's title as the indexer listed it, when known.
    public var title: String?
    /// Why, in words (e.g. "fake lossless: 10 of 10 tracks are transcodes").
    public var reason: String
    /// What the verification found, as stored (per-track verdicts, durations…); `{}` for a manual entry.
    public var evidence: JSONValue
    public var artist: String?
    public var album: String?
    /// Who put it there: `verification` or `operator`.
    public var source: String
    /// The ticket whose verification refused it, when one did.
    public var ticketId: String?
    public var createdAt: Date

    public init(
        infoHash: String, title: String? = nil, reason: String, evidence: JSONValue = .object([:]), artist: String? = nil, album: String? = nil,
        source: String, ticketId: String? = nil, createdAt: Date = Date()
    ) {
        self.infoHash = infoHash.lowercased()
        self.title = title
        self.reason = reason
        self.evidence = evidence
        self.artist = artist
        self.album = album
        self.source = source
        self.ticketId = ticketId
        self.createdAt = createdAt
    }

    /// Whether the entry applies to a search for this artist and album (case and spacing aside).
    public func applies(artist: String, album: String) -> Bool {
        guard let scopeAlbum = self.album else { return true }
        func folded(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        return folded(scopeAlbum) == folded(album) && (self.artist.map { folded($0) == folded(artist) } ?? true)
    }
}
