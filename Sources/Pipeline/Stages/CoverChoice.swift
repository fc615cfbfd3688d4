import Audio
import Basics
import Foundation
import Tickets

/// Which picture is the ticket's cover, and why, for the ticket's history (`cover_chosen`): the
/// release's image file the download plan picked (named front, cover or folder first, then the
/// largest; ``CoverArt/rank(fileName:)``), or, when the release has none or it cannot be read, the
/// first picture embedded in its tracks; when there is neither, the Cover Art Archive's front image
/// of the ticket's MusicBrainz release (`[cover] fetch = true`); else no cover, and the reason.
struct CoverChoice: Sendable {
    enum Source: String, Sendable {
        case file, embedded, archive, none
    }

    var source: Source
    /// The file the picture came from, relative to the release's folder.
    var file: String?
    var cover: CoverArt?
    var reason: String

    static let noCover = "the release has no cover image (no image file, no picture embedded in its tracks)"

    /// Nil when the ticket wants no image: the tracks' embedded cover is the conversion's own
    /// business (the release's image file, else each source's picture), and nothing is fetched.
    static func choose(_ ticket: Ticket, download: DownloadResult, archive: CoverArchive? = nil) async -> CoverChoice? {
        guard !ticket.images.isEmpty else { return nil }
        // Files read and tracks opened with libav: off Swift's cooperative pool.
        let local = await runBlocking { inRelease(ticket, download: download) }
        if let found = local.choice { return found }
        return await fetched(ticket, why: local.why, archive: archive)
    }

    private static func inRelease(_ ticket: Ticket, download: DownloadResult) -> (choice: CoverChoice?, why: String) {
        var why: String
        if let path = download.coverPath {
            let name = relative(path, to: download.directory)
            do {
                let cover = try CoverArt(contentsOf: path)
                let named = CoverArt.rank(fileName: name, ignoring: DownloadPlan.titleWords(ticket)) == 2
                let choice = CoverChoice(
                    source: .file, file: name, cover: cover,
                    reason: "'\(name)', \(describe(cover)): "
                        + (named
                            ? "named as a front cover (front, cover or folder), the largest such file"
                            : "the largest image of the release (none is named front, cover or folder; backs, inlays, discs and booklets are not covers)")
                )
                return (choice, "")
            } catch {
                why = "the release's image '\(name)' cannot be used (\(error))"
            }
        } else {
            why = "the release has no image file"
        }
        var looked = Set<String>()
        for track in ticket.tracks {
            // A CUE image is one file for many tracks: looked into once.
            guard let path = download.filesByTrackId[track.catalogTrackId], looked.insert(path).inserted,
                let bytes = AudioProbe.embeddedPicture(path: path), let cover = try? CoverArt(data: bytes)
            else { continue }
            let name = relative(path, to: download.directory)
            return (
                CoverChoice(source: .embedded, file: name, cover: cover, reason: "\(why): the picture embedded in '\(name)', \(describe(cover))"),
                ""
            )
        }
        return (nil, why + ", and no track has an embedded picture")
    }

    private static func fetched(_ ticket: Ticket, why: String, archive: CoverArchive?) async -> CoverChoice {
        var why = why
        let release = ticket.metadataToEmbed?.musicbrainzReleaseId
        switch (archive, release) {
        case (let archive?, let release?):
            switch await archive.front(release: release) {
            case .success(let (cover, url)):
                return CoverChoice(
                    source: .archive, file: url, cover: cover,
                    reason: "\(why): the Cover Art Archive's front image of MusicBrainz release \(release), \(describe(cover))")
            case .failure(let error):
                why += "; \(error.message)"
            }
        case (nil, _?):
            why += " ([cover] fetch = true would ask the Cover Art Archive for the release's front image)"
        case (_, nil):
            break
        }
        return CoverChoice(source: .none, file: nil, cover: nil, reason: "\(why): no cover")
    }

    var json: JSONValue {
        var fields: [String: JSONValue] = ["source": .string(source.rawValue), "reason": .string(reason)]
        if let file { fields["file"] = .string(file) }
        if let cover {
            fields["format"] = .string(cover.kind.rawValue)
            fields["width"] = .number(Double(cover.width))
            fields["height"] = .number(Double(cover.height))
            fields["bytes"] = .number(Double(cover.data.count))
        }
        return .object(fields)
    }

    static func describe(_ cover: CoverArt) -> String {
        "\(cover.width)×\(cover.height) \(cover.kind == .jpeg ? "JPEG" : "PNG"), \(max(1, (cover.data.count + 512) / 1024)) KiB"
    }

    static func relative(_ path: String, to directory: String) -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : (path as NSString).lastPathComponent
    }
}
