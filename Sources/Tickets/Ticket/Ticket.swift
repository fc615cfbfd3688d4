public import Foundation

/// A download ticket: the contract between the catalog server and downloader2 (docs/ARCHITECTURE.md#ticket).
///
/// Field names on the wire are snake_case exactly as the catalog server sends them.
public struct Ticket: Codable, Sendable, Equatable {
    public var ticketId: String
    public var createdAt: Date?
    public var search: TicketSearch
    public var tracks: [TicketTrack]
    public var images: [TicketImage]
    public var constraints: TicketConstraints
    public var metadataToEmbed: MetadataToEmbed?
    /// Higher runs first; an addition to the catalog's contract, optional, defaults to 0.
    public var priority: Int?

    public init(
        ticketId: String, createdAt: Date? = nil, search: TicketSearch, tracks: [TicketTrack],
        images: [TicketImage] = [], constraints: TicketConstraints, metadataToEmbed: MetadataToEmbed? = nil,
        priority: Int? = nil
    ) {
        self.ticketId = ticketId
        self.createdAt = createdAt
        self.search = search
        self.tracks = tracks
        self.images = images
        self.constraints = constraints
        self.metadataToEmbed = metadataToEmbed
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey {
        case ticketId, createdAt, search, tracks, images, constraints
        case metadataToEmbed, priority
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ticketId = try c.decode(String.self, forKey: .ticketId)
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt)
        search = try c.decode(TicketSearch.self, forKey: .search)
        tracks = try c.decode([TicketTrack].self, forKey: .tracks)
        images = try c.decodeIfPresent([TicketImage].self, forKey: .images) ?? []
        constraints = try c.decode(TicketConstraints.self, forKey: .constraints)
        metadataToEmbed = try c.decodeIfPresent(MetadataToEmbed.self, forKey: .metadataToEmbed)
        priority = try c.decodeIfPresent(Int.self, forKey: .priority)
    }
}

/// What to look for on the indexers.
public struct TicketSearch: Codable, Sendable, Equatable {
    public var artist: String
    public var album: String
    public var year: Int?
    public var label: String?
    public var genres: [String]?

    public init(artist: String, album: String, year: Int? = nil, label: String? = nil, genres: [String]? = nil) {
        self.artist = artist
        self.album = album
        self.year = year
        self.label = label
        self.genres = genres
    }
}

/// One catalog track and the path its converted file must land at.
public struct TicketTrack: Codable, Sendable, Equatable {
    public var catalogTrackId: String
    public var discNumber: Int
    public var trackNumber: Int
    public var name: String
    public var durationSecs: Double?
    public var destPath: String
    /// MusicBrainz recording id (Picard's `MUSICBRAINZ_TRACKID`) and release track id (`MUSICBRAINZ_RELEASETRACKID`).
    public var musicbrainzRecordingId: String?
    public var musicbrainzTrackId: String?

    public init(
        catalogTrackId: String, discNumber: Int = 1, trackNumber: Int, name: String, durationSecs: Double? = nil, destPath: String,
        musicbrainzRecordingId: String? = nil, musicbrainzTrackId: String? = nil
    ) {
        self.musicbrainzRecordingId = musicbrainzRecordingId
        self.musicbrainzTrackId = musicbrainzTrackId
        self.catalogTrackId = catalogTrackId
        self.discNumber = discNumber
        self.trackNumber = trackNumber
        self.name = name
        self.durationSecs = durationSecs
        self.destPath = destPath
    }

    enum CodingKeys: String, CodingKey {
        case catalogTrackId, discNumber, trackNumber, name
        case durationSecs, destPath
        case musicbrainzRecordingId, musicbrainzTrackId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        catalogTrackId = try c.decode(String.self, forKey: .catalogTrackId)
        discNumber = try c.decodeIfPresent(Int.self, forKey: .discNumber) ?? 1
        trackNumber = try c.decode(Int.self, forKey: .trackNumber)
        name = try c.decode(String.self, forKey: .name)
        durationSecs = try c.decodeIfPresent(Double.self, forKey: .durationSecs)
        destPath = try c.decode(String.self, forKey: .destPath)
        musicbrainzRecordingId = try c.decodeIfPresent(String.self, forKey: .musicbrainzRecordingId)
        musicbrainzTrackId = try c.decodeIfPresent(String.self, forKey: .musicbrainzTrackId)
    }
}

/// An image the catalog wants placed next to the tracks (e.g. `cover_front`).
public struct TicketImage: Codable, Sendable, Equatable {
    public var catalogImageId: String
    public var type: String
    public var destPath: String

    public init(catalogImageId: String, type: String, destPath: String) {
        self.catalogImageId = catalogImageId
        self.type = type
        self.destPath = destPath
    }
}

/// The output the catalog wants.
public struct TicketConstraints: Codable, Sendable, Equatable {
    public var format: AudioFormat
    public var bitrateKbps: Int?
    public var sampleRateHz: Int?
    public var embedMetadata: Bool
    public var embedCover: Bool

    public init(format: AudioFormat, bitrateKbps: Int? = nil, sampleRateHz: Int? = nil, embedMetadata: Bool = true, embedCover: Bool = true) {
        self.format = format
        self.bitrateKbps = bitrateKbps
        self.sampleRateHz = sampleRateHz
        self.embedMetadata = embedMetadata
        self.embedCover = embedCover
    }

    enum CodingKeys: String, CodingKey {
        case format, bitrateKbps, sampleRateHz
        case embedMetadata, embedCover
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(AudioFormat.self, forKey: .format)
        bitrateKbps = try c.decodeIfPresent(Int.self, forKey: .bitrateKbps)
        sampleRateHz = try c.decodeIfPresent(Int.self, forKey: .sampleRateHz)
        embedMetadata = try c.decodeIfPresent(Bool.self, forKey: .embedMetadata) ?? true
        embedCover = try c.decodeIfPresent(Bool.self, forKey: .embedCover) ?? true
    }
}

/// Album-level tags to write into every output file.
public struct MetadataToEmbed: Codable, Sendable, Equatable {
    public var artist: String?
    public var album: String?
    public var albumArtist: String?
    public var year: Int?
    public var genre: String?
    /// MusicBrainz identifiers (UUIDs), written as the tags Picard writes: the release
    /// (`MUSICBRAINZ_ALBUMID`), its release group and its album artist.
    public var musicbrainzReleaseId: String?
    public var musicbrainzReleaseGroupId: String?
    public var musicbrainzAlbumArtistId: String?

    public init(
        artist: String? = nil, album: String? = nil, albumArtist: String? = nil, year: Int? = nil, genre: String? = nil,
        musicbrainzReleaseId: String? = nil, musicbrainzReleaseGroupId: String? = nil, musicbrainzAlbumArtistId: String? = nil
    ) {
        self.musicbrainzReleaseId = musicbrainzReleaseId
        self.musicbrainzReleaseGroupId = musicbrainzReleaseGroupId
        self.musicbrainzAlbumArtistId = musicbrainzAlbumArtistId
        self.artist = artist
        self.album = album
        self.albumArtist = albumArtist
        self.year = year
        self.genre = genre
    }
}
