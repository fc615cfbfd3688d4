import Foundation

extension Ticket {
    /// Longest accepted `ticket_id`; ids are keys in the database and in file names.
    public static let maxTicketIdLength = 128

    /// Checks everything about a decoded ticket that its JSON types cannot say.
    ///
    /// Every `dest_path` must resolve inside one of `mediaRoots`, no two outputs may share a path,
    /// and extensions must fit the requested format. The first problem found is thrown.
    public func validate(mediaRoots: MediaRoots) throws(TicketValidationError) {
        try check(!ticketId.isEmpty, "ticket_id", "must not be empty")
        try check(ticketId.count <= Self.maxTicketIdLength, "ticket_id", "is longer than \(Self.maxTicketIdLength) characters")
        try check(
            ticketId.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) },
            "ticket_id", "may only contain letters, digits, '-', '_', '.' and ':'")
        try check(!ticketId.allSatisfy { $0 == "." }, "ticket_id", "cannot be only dots: '.' and '..' name folders, not tickets")
        try check(!search.artist.isBlank, "search.artist", "must not be empty")
        try check(!search.album.isBlank, "search.album", "must not be empty")
        if let year = search.year { try check((1000...9999).contains(year), "search.year", "must be a four-digit year, got \(year)") }
        try check(!tracks.isEmpty, "tracks", "must list at least one track")
        if let metadata = metadataToEmbed {
            try checkMusicBrainzId(metadata.musicbrainzReleaseId, "metadata_to_embed.musicbrainz_release_id")
            try checkMusicBrainzId(metadata.musicbrainzReleaseGroupId, "metadata_to_embed.musicbrainz_release_group_id")
            try checkMusicBrainzId(metadata.musicbrainzAlbumArtistId, "metadata_to_embed.musicbrainz_album_artist_id")
        }
        try validateConstraints()

        var seenTrackIds = Set<String>()
        var seenPaths: [String: String] = [:]
        for (i, track) in tracks.enumerated() {
            let at = "tracks[\(i)]"
            try check(!track.catalogTrackId.isEmpty, "\(at).catalog_track_id", "must not be empty")
            try check(!track.catalogTrackId.hasControlCharacters, "\(at).catalog_track_id", "must not contain control characters")
            try check(seenTrackIds.insert(track.catalogTrackId).inserted, "\(at).catalog_track_id", "'\(track.catalogTrackId)' appears twice")
            try check(track.trackNumber >= 1, "\(at).track_number", "must be 1 or more, got \(track.trackNumber)")
            try check(track.discNumber >= 1, "\(at).disc_number", "must be 1 or more, got \(track.discNumber)")
            try check(!track.name.isBlank, "\(at).name", "must not be empty")
            if let d = track.durationSecs { try check(d.isFinite && d >= 0, "\(at).duration_secs", "must be a non-negative number") }
            try checkMusicBrainzId(track.musicbrainzRecordingId, "\(at).musicbrainz_recording_id")
            try checkMusicBrainzId(track.musicbrainzTrackId, "\(at).musicbrainz_track_id")
            let ext = (track.destPath as NSString).pathExtension.lowercased()
            try check(
                constraints.format.allowedExtensions.contains(ext), "\(at).dest_path",
                "extension '.\(ext)' does not fit format \(constraints.format.rawValue) (expected \(constraints.format.allowedExtensions.sorted().map { "." + $0 }.joined(separator: " or ")))"
            )
            try checkDestination(track.destPath, field: "\(at).dest_path", roots: mediaRoots, seen: &seenPaths)
        }
        var seenImageIds = Set<String>()
        for (i, image) in images.enumerated() {
            let at = "images[\(i)]"
            try check(!image.catalogImageId.isEmpty, "\(at).catalog_image_id", "must not be empty")
            try check(!image.catalogImageId.hasControlCharacters, "\(at).catalog_image_id", "must not contain control characters")
            try check(seenImageIds.insert(image.catalogImageId).inserted, "\(at).catalog_image_id", "'\(image.catalogImageId)' appears twice")
            try check(!image.type.isEmpty, "\(at).type", "must not be empty")
            let ext = (image.destPath as NSString).pathExtension.lowercased()
            try check(
                ["jpg", "jpeg", "png"].contains(ext), "\(at).dest_path", "extension '.\(ext)' is not an image format we write (.jpg, .jpeg, .png)")
            try checkDestination(image.destPath, field: "\(at).dest_path", roots: mediaRoots, seen: &seenPaths)
        }
    }

    /// A MusicBrainz id is a UUID in its 36-character text form (any letter case).
    private func checkMusicBrainzId(_ id: String?, _ field: String) throws(TicketValidationError) {
        guard let id else { return }
        let hex = CharacterSet(charactersIn: "0123456789abcdefABCDEF")
        let groups = id.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        try check(
            groups == [8, 4, 4, 4, 12] && id.unicodeScalars.allSatisfy { $0 == "-" || hex.contains($0) }, field,
            "must be a MusicBrainz id (a UUID such as 5b11f4ce-a62d-471e-81fc-a69a8278c7da), got '\(id)'")
    }

    private func validateConstraints() throws(TicketValidationError) {
        if let bitrate = constraints.bitrateKbps {
            try check((0...1411).contains(bitrate), "constraints.bitrate_kbps", "must be between 0 and 1411, got \(bitrate)")
        }
        if let rate = constraints.sampleRateHz {
            try check((8000...384_000).contains(rate), "constraints.sample_rate_hz", "must be between 8000 and 384000, got \(rate)")
        }
    }

    private func checkDestination(_ path: String, field: String, roots: MediaRoots, seen: inout [String: String]) throws(TicketValidationError) {
        let resolved: String
        do {
            resolved = try roots.resolveInside(path)
        } catch {
            throw TicketValidationError(field: field, message: error.description)
        }
        if let other = seen.updateValue(field, forKey: resolved) {
            throw TicketValidationError(field: field, message: "'\(path)' is also the destination of \(other)")
        }
    }

    private func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) throws(TicketValidationError) {
        if !condition { throw TicketValidationError(field: field, message: message()) }
    }
}

private extension String {
    /// Empty or only white space (Unicode's White_Space: the characters `.whitespacesAndNewlines`
    /// trims), without building the trimmed copy.
    var isBlank: Bool { unicodeScalars.allSatisfy(\.properties.isWhitespace) }

    /// NUL, newlines and other C0/C1 controls: no file name or log line should carry them.
    var hasControlCharacters: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
