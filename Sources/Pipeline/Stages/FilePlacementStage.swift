import Foundation
import Placement
import Storage
import Tickets

/// The place stage: every converted track and image goes to its `dest_path` through the
/// ``Placer`` (atomic, inside the media roots), and each placed file is recorded in `downloadFile`
/// with its size and SHA-256. A failure leaves the files placed before it valid.
public struct FilePlacementStage: PlaceStage {
    let placer: Placer
    let database: any TicketStore

    public init(placer: Placer, database: any TicketStore) {
        self.placer = placer
        self.database = database
    }

    public func place(_ ticket: StoredTicket, conversion: ConvertedRelease, context: StageContext) async throws -> PlacementResult {
        let items = try plannedItems(ticket.ticket, conversion)
        var placed: [String] = []
        var total: Int64 = 0
        for (index, item) in items.enumerated() {
            try context.checkCancellation()
            let file: Placer.PlacedFile
            switch await placer.placeInBackground(item.source, at: item.destination, moveSource: true) {
            case .success(let result): file = result
            case .failure(let error): throw StageError(code: error.code, message: "\(item.label): \(error)", retryable: error.isRetryable)
            }
            try await database.recordDownloadFile(
                DownloadFileRecord(
                    ticketId: ticket.id, path: file.path, size: file.digest.size, type: item.kind,
                    sha256: file.digest.sha256, verifiedAt: Date()))
            placed.append(file.path)
            total += file.digest.size
            await context.reportProgress(
                .object([
                    "stage": .string("placing"), "files_placed": .number(Double(index + 1)), "total_files": .number(Double(items.count)),
                    "path": .string(file.path), "outcome": .string(file.outcome.rawValue),
                ]))
        }
        return PlacementResult(placedPaths: placed, totalBytes: total)
    }

    private struct Item {
        var label: String
        var kind: String
        var source: String
        var destination: String
    }

    /// Every output paired with its destination, checked before anything is written: a missing
    /// output fails the ticket without placing half of it.
    private func plannedItems(_ ticket: Ticket, _ conversion: ConvertedRelease) throws -> [Item] {
        var items: [Item] = []
        for track in ticket.tracks where conversion.missingTracks[track.catalogTrackId] == nil {
            guard let source = conversion.outputsByTrackId[track.catalogTrackId] else {
                throw StageError(
                    code: "missing_output", message: "no converted file for track \(track.catalogTrackId) '\(track.name)'", retryable: false)
            }
            items.append(Item(label: "track \(track.catalogTrackId)", kind: "placed_track", source: source, destination: track.destPath))
        }
        for image in ticket.images where conversion.missingImages[image.catalogImageId] == nil {
            guard let source = conversion.imagesByCatalogId[image.catalogImageId] else {
                throw StageError(code: "missing_output", message: "no \(image.type) image \(image.catalogImageId) was produced", retryable: false)
            }
            items.append(Item(label: "image \(image.catalogImageId)", kind: "placed_image", source: source, destination: image.destPath))
        }
        return items
    }
}
