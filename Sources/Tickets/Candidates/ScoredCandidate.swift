/// A candidate after matching: its score, which file becomes which track, and why.
public struct ScoredCandidate: Codable, Sendable, Equatable {
    public var torrent: TorrentCandidate
    public var score: Double
    public var trackMapping: [TrackMapping]
    public var reasoning: String

    public init(torrent: TorrentCandidate, score: Double, trackMapping: [TrackMapping], reasoning: String) {
        self.torrent = torrent
        self.score = score
        self.trackMapping = trackMapping
        self.reasoning = reasoning
    }
}

/// Which torrent file (or CUE track of an image) supplies one catalog track.
public struct TrackMapping: Codable, Sendable, Equatable {
    public var catalogTrackId: String
    public var torrentFilePath: String
    /// For an image + cue release: the 1-based track of the cue sheet; nil for one file per track.
    public var cueTrack: Int?
    public var confidence: Double

    public init(catalogTrackId: String, torrentFilePath: String, cueTrack: Int? = nil, confidence: Double) {
        self.catalogTrackId = catalogTrackId
        self.torrentFilePath = torrentFilePath
        self.cueTrack = cueTrack
        self.confidence = confidence
    }
}

/// Why the best candidate was not approved automatically (docs/ARCHITECTURE.md#states-and-transitions).
public enum ApprovalReason: Codable, Sendable, Equatable {
    case lowConfidence(score: Double, threshold: Double)
    case trackCountMismatch(expected: Int, found: Int)
    case durationMismatch(expectedSecs: Int, foundSecs: Int)
    case nameSimilarityLow(similarity: Double)
    case multipleGoodMatches(topScores: [Double])
    case noExactMatch
    /// The downloaded release was refused by verification (files not what the listing said, fake
    /// lossless) and no approved release is left to fall back to; `detail` says why.
    case verificationFailed(detail: String)
    /// Verification found one sign of a lossy source, not two (a grid in one place, or a cliff below where
    /// genuine masters put theirs), and no clean approved release was left: a person decides.
    case verificationSuspect(detail: String)

    enum CodingKeys: String, CodingKey {
        case kind, score, threshold, expected, found, expectedSecs, foundSecs
        case similarity, topScores, detail
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .lowConfidence(score, threshold):
            try c.encode("low_confidence", forKey: .kind)
            try c.encode(score, forKey: .score)
            try c.encode(threshold, forKey: .threshold)
        case let .trackCountMismatch(expected, found):
            try c.encode("track_count_mismatch", forKey: .kind)
            try c.encode(expected, forKey: .expected)
            try c.encode(found, forKey: .found)
        case let .durationMismatch(expectedSecs, foundSecs):
            try c.encode("duration_mismatch", forKey: .kind)
            try c.encode(expectedSecs, forKey: .expectedSecs)
            try c.encode(foundSecs, forKey: .foundSecs)
        case let .nameSimilarityLow(similarity):
            try c.encode("name_similarity_low", forKey: .kind)
            try c.encode(similarity, forKey: .similarity)
        case let .multipleGoodMatches(topScores):
            try c.encode("multiple_good_matches", forKey: .kind)
            try c.encode(topScores, forKey: .topScores)
        case .noExactMatch:
            try c.encode("no_exact_match", forKey: .kind)
        case let .verificationFailed(detail):
            try c.encode("verification_failed", forKey: .kind)
            try c.encode(detail, forKey: .detail)
        case let .verificationSuspect(detail):
            try c.encode("verification_suspect", forKey: .kind)
            try c.encode(detail, forKey: .detail)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "low_confidence":
            self = .lowConfidence(score: try c.decode(Double.self, forKey: .score), threshold: try c.decode(Double.self, forKey: .threshold))
        case "track_count_mismatch":
            self = .trackCountMismatch(expected: try c.decode(Int.self, forKey: .expected), found: try c.decode(Int.self, forKey: .found))
        case "duration_mismatch":
            self = .durationMismatch(
                expectedSecs: try c.decode(Int.self, forKey: .expectedSecs), foundSecs: try c.decode(Int.self, forKey: .foundSecs))
        case "name_similarity_low": self = .nameSimilarityLow(similarity: try c.decode(Double.self, forKey: .similarity))
        case "multiple_good_matches": self = .multipleGoodMatches(topScores: try c.decode([Double].self, forKey: .topScores))
        case "no_exact_match": self = .noExactMatch
        case "verification_failed": self = .verificationFailed(detail: try c.decode(String.self, forKey: .detail))
        case "verification_suspect": self = .verificationSuspect(detail: try c.decode(String.self, forKey: .detail))
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown approval reason '\(other)'")
        }
    }
}
