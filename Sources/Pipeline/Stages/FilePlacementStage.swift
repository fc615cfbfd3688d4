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

    /// A place stage that places through `placer` and records in `database`.
    ///
    /// - Parameters:
    ///   - placer: Places each file atomically inside the media roots.
    ///   - database: Where each placed file's size and SHA-256 are recorded.
    public init(placer: Placer, database: any TicketStore) {
        self.placer = placer
        self.database = database
    }

    /// Places every converted track and image the ticket asks for, one after the other, and records each one.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks and images name the destinations.
    ///   - conversion: The converted files; the tracks and images it lists as missing are skipped.
    ///   - context: Receives a progress report per placed file; its stop flag is checked before each file.
    /// - Returns: The paths placed, in order, and their total size in bytes.
    /// - Throws: ``StageError``: `missing_output` (not retryable) before anything is placed when a converted file is
    ///   missing; the placement error's code and retryability (`disk_full`, `permission_denied`, `destination_exists`, …)
    ///   when a file cannot be placed, the files placed before it staying valid. ``StageInterrupted`` when the ticket is
    ///   cancelled or paused, another node takes it over, or the service stops. The store's error (`StorageError`) when a
    ///   placed file cannot be recorded.
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
