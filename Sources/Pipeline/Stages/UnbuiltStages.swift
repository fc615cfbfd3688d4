import Storage
import Tickets

/// The stages whose real implementations land with later issues. Each fails honestly with a
/// non-retryable `not_implemented` error naming what is missing; none pretends to succeed.
public struct UnbuiltStage: SearchStage, MatchStage, DownloadStage, ConvertStage, PlaceStage {
    public init() {}

    public func search(_ ticket: StoredTicket, query: String?, context: StageContext) async throws -> [TorrentCandidate] {
        throw Self.missing("search (Jackett/Torznab indexers)")
    }

    public func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome {
        throw Self.missing("matching")
    }

    public func download(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadResult {
        throw Self.missing("download (embedded BitTorrent engine)")
    }

    public func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease {
        throw Self.missing("conversion (libav)")
    }

    public func place(_ ticket: StoredTicket, conversion: ConvertedRelease, context: StageContext) async throws -> PlacementResult {
        throw Self.missing("placement")
    }

    private static func missing(_ stage: String) -> StageError {
        StageError(code: "not_implemented", message: "the \(stage) stage is not built into this version yet", retryable: false)
    }
}
