import Audio
import Basics
import Foundation
import Search

/// The Cover Art Archive's front image of a MusicBrainz release (`[cover] fetch = true`), for a
/// release that brings no cover. `GET {archive_url}/release/{mbid}/front-1200` answers 307 to a
/// 1200-pixel JPEG on the Internet Archive (`front-500`, `front` for the original upload, which may
/// be a GIF, a PDF or a scan of many megabytes), 404 when the release has no front image (or is
/// unknown), 400 for a malformed MBID (metabrainz/coverart_redirect, `artwork_redirect/request.py`).
/// The sizes are asked in that order: older uploads have no 1200-pixel thumbnail.
public struct CoverArchive: Sendable {
    public let baseURL: String
    let fetcher: HTTPFetcher

    public init(baseURL: String = "https://coverartarchive.org", timeoutSecs: Double = 30) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        var fetcher = HTTPFetcher(connectTimeout: min(10, timeoutSecs), totalTimeout: timeoutSecs, maxBytes: UntrustedFileKind.coverImage.limit)
        // MetaBrainz asks clients to say who they are.
        fetcher.userAgent = "downloader2 (the front cover of a ticket's MusicBrainz release)"
        self.fetcher = fetcher
    }

    /// The release's front image and the address asked, or why there is none (for the ticket's history).
    public func front(release mbid: String) async -> Result<(CoverArt, String), CoverArchiveError> {
        var problems: [String] = []
        for size in ["front-1200", "front-500", "front"] {
            // The archive's MBIDs are lowercase: an uppercase one is a 400 there.
            let url = "\(baseURL)/release/\(mbid.lowercased())/\(size)"
            do {
                switch try await fetcher.get(url) {
                case .body(let data, _, _, _):
                    do {
                        return .success((try CoverArt(data: Array(data)), url))
                    } catch {
                        problems.append("\(size) is not a JPEG or PNG")
                    }
                case .magnet:
                    problems.append("\(size) answered with a magnet link")
                }
            } catch .httpStatus(let at, 404, _) {
                // From the archive itself: no front image. From where it sent us: no image of that size.
                guard !at.hasPrefix(baseURL) else {
                    return .failure(CoverArchiveError(message: "the Cover Art Archive has no front image of release \(mbid)"))
                }
                problems.append("\(size) is missing where the archive sent us")
            } catch .tooLarge(_, let limit) {
                problems.append("\(size) is larger than \(limit / (1 << 20)) MiB")
            } catch {
                return .failure(CoverArchiveError(message: "the Cover Art Archive could not be asked for release \(mbid): \(error)"))
            }
        }
        return .failure(
            CoverArchiveError(message: "the Cover Art Archive's front image of release \(mbid) cannot be used: \(problems.joined(separator: "; "))"))
    }
}

public struct CoverArchiveError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
