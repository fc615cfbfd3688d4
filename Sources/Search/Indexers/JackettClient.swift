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
    public func recentReleases() async throws(IndexerError) -> [TorrentCandidate] {
        try await search(IndexerQuery(text: ""))
    }

    public func search(_ query: IndexerQuery) async throws(IndexerError) -> [TorrentCandidate] {
        var components = URLComponents(string: baseURL + "/api/v2.0/indexers/all/results")
        components?.queryItems = [
            URLQueryItem(name: "apikey", value: apiKey), URLQueryItem(name: "Query", value: query.text),
            URLQueryItem(name: "Category[]", value: musicCategory),
        ]
        guard let url = components?.url?.absoluteString else { throw .badResponse(indexer: name, reason: "cannot build a URL from \(baseURL)") }
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
    }

    /// Candidates from a Jackett JSON answer; garbage is a `badResponse`, not a crash.
    static func parse(_ data: Data, indexer: String) throws(IndexerError) -> [TorrentCandidate] {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: data)
        } catch {
            throw .badResponse(indexer: indexer, reason: "not Jackett's JSON (\(String(describing: error).prefix(160)))")
        }
        let dates = ISO8601DateFormatter()
        return response.Results.compactMap { r in
            let hash = r.InfoHash?.lowercased() ?? infoHash(ofMagnet: r.MagnetUri)
            guard hash != nil || r.MagnetUri != nil || r.Link != nil else { return nil }
            let seeders = max(r.Seeders ?? 0, 0)
            return TorrentCandidate(
                title: r.Title, indexer: r.Tracker ?? indexer, magnetUri: r.MagnetUri, downloadUrl: r.Link, infoHash: hash ?? "",
                sizeBytes: r.Size ?? 0, seeders: seeders, leechers: max((r.Peers ?? seeders) - seeders, 0),
                publishDate: r.PublishDate.flatMap { dates.date(from: $0) })
        }
    }
}
