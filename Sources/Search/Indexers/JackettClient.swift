import Basics
import Foundation
import Tickets

/// Jackett's JSON API: `/api/v2.0/indexers/all/results?apikey=…&Query=…&Category[]=3000`.
public struct JackettClient: IndexerClient {
    public let name: String
    let baseURL: String
    let apiKey: String
    let fetcher: HTTPFetcher

    public init(name: String = "jackett", baseURL: String, apiKey: String, fetcher: HTTPFetcher = HTTPFetcher()) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.fetcher = fetcher
        // Its download links carry the key too (`jackett_apikey=`): they are stored redacted and get it back when fetched.
        Secrets.shared.register(apiKey, origin: baseURL)
    }

    /// Jackett answers an empty `Query` with each indexer's recent releases in the categories asked for.
    public func recentReleases() async throws(IndexerError) -> IndexerAnswer {
        try await search(IndexerQuery(text: ""))
    }

    /// `Query` is the free text (`artist album`): Jackett's JSON API takes no structured music fields.
    public func search(_ query: IndexerQuery) async throws(IndexerError) -> IndexerAnswer {
        let items = [("apikey", apiKey), ("Query", query.text), ("Category[]", musicCategory)]
        guard let url = url(baseURL + "/api/v2.0/indexers/all/results", items) else {
            throw .badResponse(indexer: name, reason: "cannot build a URL from \(baseURL)")
        }
        let answer: FetchResult
        do {
            answer = try await fetcher.get(url)
        } catch {
            throw .from(error, indexer: name)
        }
        guard case .body(let data, _, _, _) = answer else { throw .badResponse(indexer: name, reason: "the search redirected to a magnet link") }
        return try Self.parse(data, indexer: name)
    }

    struct Response: Decodable {
        var Results: [Result]
        var Indexers: [IndexerStatus]?
    }

    /// One tracker's outcome in an aggregate search: `Status` 0 is fine; any `Error` text is a failure.
    struct IndexerStatus: Decodable {
        var ID: String?
        var Name: String?
        var Status: Int?
        var Results: Int?
        var Error: String?
    }

    struct Result: Decodable {
        var Title: String
        var Tracker: String?
        var Link: String?
        var MagnetUri: String?
        var InfoHash: String?
        var Size: Int64?
        var Seeders: Int?
        var Peers: Int?
        var PublishDate: String?
        var Files: Int?
        var Grabs: Int?
        var MinimumRatio: Double?
        var MinimumSeedTime: Int?
        var DownloadVolumeFactor: Double?
        var UploadVolumeFactor: Double?
    }

    /// Candidates from a Jackett JSON answer, and the trackers that failed; garbage is a `badResponse`, not a crash.
    static func parse(_ data: Data, indexer: String) throws(IndexerError) -> IndexerAnswer {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: data)
        } catch {
            throw .badResponse(indexer: indexer, reason: "not Jackett's JSON (\(String(describing: error).prefix(160)))")
        }
        let candidates = response.Results.compactMap { r -> TorrentCandidate? in
            let hash = r.InfoHash?.lowercased() ?? infoHash(ofMagnet: r.MagnetUri)
            guard hash != nil || r.MagnetUri != nil || r.Link != nil else { return nil }
            let seeders = max(r.Seeders ?? 0, 0)
            var candidate = TorrentCandidate(
                title: r.Title, indexer: r.Tracker ?? indexer, magnetUri: r.MagnetUri, downloadUrl: r.Link, infoHash: hash ?? "",
                sizeBytes: r.Size ?? 0, seeders: seeders, leechers: Self.leechers(peers: r.Peers, seeders: seeders),
                publishDate: r.PublishDate.flatMap(IndexerDates.iso8601))
            candidate.fileCount = r.Files
            candidate.grabs = r.Grabs
            candidate.minimumRatio = r.MinimumRatio
            candidate.minimumSeedTimeSecs = r.MinimumSeedTime
            candidate.downloadVolumeFactor = r.DownloadVolumeFactor
            candidate.uploadVolumeFactor = r.UploadVolumeFactor
            if candidate.indexer != indexer { candidate.feed = indexer }
            return candidate
        }
        let failures = (response.Indexers ?? []).compactMap { status -> IndexerError? in
            guard let error = status.Error, !error.isEmpty else { return nil }
            return .failed(indexer: "\(indexer)/\(status.Name ?? status.ID ?? "?")", message: error)
        }
        return IndexerAnswer(candidates: candidates, failures: failures)
    }

    /// Jackett's `Peers` counts seeders and leechers together (its Cardigann indexers add the two,
    /// `CardigannIndexer.cs`), like Torznab's `peers`: the leechers are the difference.
    static func leechers(peers: Int?, seeders: Int) -> Int {
        max((peers ?? seeders) - seeders, 0)
    }
}
