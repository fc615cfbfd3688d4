import Matching
import Tickets

/// What makes two tickets ask for the same download: the artist and album (compared after the
/// normalisation matching uses) and the requested format.
struct DuplicateKey: Equatable {
    let artist: String
    let album: String
    let format: AudioFormat

    init(_ ticket: Ticket) {
        artist = TextSimilarity.normalise(ticket.search.artist)
        album = TextSimilarity.normalise(ticket.search.album, keepBrackets: true)
        format = ticket.constraints.format
    }
}
