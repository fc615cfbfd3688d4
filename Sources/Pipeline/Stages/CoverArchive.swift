import Audio
import Basics
import Foundation
import Search

/// The Cover Art Archive's front image of a MusicBrainz release (`[cover] fetch = true`), for a release
/// that brings no cover. `GET {archive_url}/release/{mbid}/front` answers 307 to the image on the
/// Internet Archive, 404 when the release has no front image (or is unknown), 400 for a malformed MBID
/// (metabrainz/coverart_redirect, `artwork_redirect/request.py`); the redirect is followed.
public struct CoverArchive: Sendable {
    public let baseURL: String
    let fetcher: HTTPFetcher

    public init(baseURL: String = "https://coverartarchive.org", timeoutSecs: Double = 30) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var fetcher = HTTPFetcher(connectTimeout: min(10, timeoutSecs), totalTimeout: timeoutSecs, maxBytes: UntrustedFileKind.coverImage.limit)
        // MetaBrainz asks clients to say who they are.
        fetcher.userAgent = "downloader2 (the front cover of a ticket's MusicBrainz release)"
        self.fetcher = fetcher
    }

    /// The release's front image, or why there is none (for the ticket's history).
    public func front(release mbid: String) async -> Result<CoverArt, CoverArchiveError> {
        let url = "\(baseURL)/release/\(mbid.lowercased())/front"
        do {
            switch try await fetcher.get(url) {
            case .body(let data, _, _, _):
                do {
                    return .success(try CoverArt(data: Array(data)))
                } catch {
                    return .failure(
                        CoverArchiveError(message: "the Cover Art Archive's front image of release \(mbid) is not a JPEG or PNG (\(error))"))
                }
            case .magnet:
                return .failure(CoverArchiveError(message: "the Cover Art Archive answered with a magnet link for release \(mbid)"))
            }
        } catch .httpStatus(_, 404, _) {
            return .failure(CoverArchiveError(message: "the Cover Art Archive has no front image of release \(mbid)"))
        } catch {
            return .failure(CoverArchiveError(message: "the Cover Art Archive could not be asked for release \(mbid): \(error)"))
        }
    }
}

public struct CoverArchiveError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
