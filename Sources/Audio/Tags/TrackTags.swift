/// The tags written into one output track. Empty fields are not written.
public struct TrackTags: Sendable, Equatable, Codable {
    public var title: String?
    public var artist: String?
    public var album: String?
    public var albumArtist: String?
    public var trackNumber: Int?
    public var trackTotal: Int?
    public var discNumber: Int?
    public var discTotal: Int?
    public var date: String?
    public var genre: String?
    /// Extra keys (e.g. `CATALOG_TRACK_ID`): Vorbis comments and ID3 `TXXX` frames carry them as named.
    public var custom: [String: String]
    /// MusicBrainz identifiers, written under the names Picard gives them in each container.
    public var musicBrainz = MusicBrainzIds()

    public init(
        title: String? = nil, artist: String? = nil, album: String? = nil, albumArtist: String? = nil,
        trackNumber: Int? = nil, trackTotal: Int? = nil, discNumber: Int? = nil, discTotal: Int? = nil,
        date: String? = nil, genre: String? = nil, custom: [String: String] = [:]
    ) {
        self.title = title
        self.artist = artist
        self.album = album
        self.albumArtist = albumArtist
        self.trackNumber = trackNumber
        self.trackTotal = trackTotal
        self.discNumber = discNumber
        self.discTotal = discTotal
        self.date = date
        self.genre = genre
        self.custom = custom
    }

    /// The libav metadata entries for a container, in the names its muxer writes natively:
    /// uppercase Vorbis names for Ogg and FLAC (docs/NOTES.md#libav-tags), libav's generic names for ID3v2.4 and MP4,
    /// whose muxers map them to frames (`TIT2`, `TRCK` "n/total", `TXXX`) and atoms (`©nam`, `trkn`).
    func entries(for style: TagStyle) -> [(key: String, value: String)] {
        switch style {
        case .none: return []
        case .vorbisComment:
            var pairs: [(String, String?)] = [
                ("TITLE", title), ("ARTIST", artist), ("ALBUM", album), ("ALBUMARTIST", albumArtist),
                ("TRACKNUMBER", trackNumber.map(String.init)), ("TRACKTOTAL", trackTotal.map(String.init)),
                ("DISCNUMBER", discNumber.map(String.init)), ("DISCTOTAL", discTotal.map(String.init)),
                ("DATE", date), ("GENRE", genre),
            ]
            pairs += custom.sorted { $0.key < $1.key }.map { ($0.key.uppercased(), $0.value) }
            pairs += musicBrainz.vorbisComments.map { ($0.0, $0.1) }
            return Self.present(pairs)
        case .id3v24, .mp4:
            var pairs: [(String, String?)] = [
                ("title", title), ("artist", artist), ("album", album), ("album_artist", albumArtist),
                ("track", Self.numbered(trackNumber, of: trackTotal)), ("disc", Self.numbered(discNumber, of: discTotal)),
                ("date", date), ("genre", genre),
            ]
            // The MP4 muxer drops keys it does not know; MP4Freeform writes those afterwards.
            if style == .id3v24 {
                pairs += custom.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                pairs += musicBrainz.id3UserText.map { ($0.0, $0.1) }
            }
            return Self.present(pairs)
        }
    }

    /// What MP4 gets as iTunes freeform atoms after the muxer (which drops keys it does not know).
    var mp4Freeform: [String: String] {
        var atoms = custom
        for (name, value) in musicBrainz.mp4Freeform { atoms[name] = value }
        return atoms
    }
}

/// MusicBrainz identifiers of a track, with the names Picard writes for each container
/// (picard.musicbrainz.org/docs/mappings): Vorbis comments, ID3v2 `TXXX` descriptions, MP4
/// `----:com.apple.iTunes:` atoms. An ID3 recording id belongs in a `UFID` frame, which libav's
/// ID3v2 writer cannot make: ``ID3UniqueFileId`` adds it once the MP3 is written.
public struct MusicBrainzIds: Sendable, Equatable, Codable {
    public var releaseId: String?
    public var releaseGroupId: String?
    public var albumArtistId: String?
    public var recordingId: String?
    public var releaseTrackId: String?

    public init(
        releaseId: String? = nil, releaseGroupId: String? = nil, albumArtistId: String? = nil, recordingId: String? = nil,
        releaseTrackId: String? = nil
    ) {
        self.releaseId = releaseId
        self.releaseGroupId = releaseGroupId
        self.albumArtistId = albumArtistId
        self.recordingId = recordingId
        self.releaseTrackId = releaseTrackId
    }

    private func present(_ pairs: [(String, String?)]) -> [(String, String)] {
        pairs.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0.lowercased()) } }
    }

    var vorbisComments: [(String, String)] {
        present([
            ("MUSICBRAINZ_ALBUMID", releaseId), ("MUSICBRAINZ_RELEASEGROUPID", releaseGroupId), ("MUSICBRAINZ_ALBUMARTISTID", albumArtistId),
            ("MUSICBRAINZ_TRACKID", recordingId), ("MUSICBRAINZ_RELEASETRACKID", releaseTrackId),
        ])
    }

    var id3UserText: [(String, String)] {
        present([
            ("MusicBrainz Album Id", releaseId), ("MusicBrainz Release Group Id", releaseGroupId), ("MusicBrainz Album Artist Id", albumArtistId),
            ("MusicBrainz Release Track Id", releaseTrackId),
        ])
    }

    var mp4Freeform: [(String, String)] {
        present([
            ("MusicBrainz Album Id", releaseId), ("MusicBrainz Release Group Id", releaseGroupId), ("MusicBrainz Album Artist Id", albumArtistId),
            ("MusicBrainz Track Id", recordingId), ("MusicBrainz Release Track Id", releaseTrackId),
        ])
    }
}

extension TrackTags {
    private static func numbered(_ number: Int?, of total: Int?) -> String? {
        guard let number else { return nil }
        return total.map { "\(number)/\($0)" } ?? "\(number)"
    }

    private static func present(_ pairs: [(String, String?)]) -> [(key: String, value: String)] {
        pairs.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return (key, value)
        }
    }
}
