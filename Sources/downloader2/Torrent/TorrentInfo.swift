import ArgumentParser
import Foundation
import Logging
import Server
import ServiceLifecycle
import Tickets
import Torrent

/// `downloader2 torrent info SOURCE`: name, info-hashes and files (a magnet's metadata is fetched first).
struct TorrentInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a torrent's name, info-hashes and file list.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A magnet link or a .torrent file.") var source: String
    @Option(name: .customLong("peer"), help: "Connect to this peer (ip:port) for a magnet's metadata; repeatable.") var peers: [String] = []

    func run() async throws {
        let metadata: TorrentMetadata
        switch try TorrentSource(source) {
        case .file(let data, _):
            metadata = try TorrentMetadata.parse(torrentFile: data)
        case .magnet(let magnet):
            metadata = try await fetch(magnet)
        }
        if options.json {
            print(String(decoding: try TicketJSON.encoder(pretty: true).encode(metadata), as: UTF8.self))
            return
        }
        print("name        \(metadata.name)")
        if let v1 = metadata.infoHashV1 { print("info-hash   \(v1) (v1)") }
        if let v2 = metadata.infoHashV2 { print("info-hash   \(v2) (v2)") }
        print("size        \(Format.bytes(metadata.totalSize)) in \(metadata.pieceCount) pieces of \(Format.bytes(Int64(metadata.pieceLength)))")
        print("files")
        for file in metadata.files where !file.isPadding {
            print(String(format: "%5d  %10@  %@", file.index, Format.bytes(file.size), file.path))
        }
    }

    /// Resolves a magnet's metadata without downloading payload, in a throwaway directory.
    private func fetch(_ magnet: String) async throws -> TorrentMetadata {
        let config = try options.loadConfig().config
        var logger = Logger(label: "downloader2.torrent")
        logger.logLevel = .warning
        let scratch = NSTemporaryDirectory() + "downloader2-info-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let session = try TorrentSession(settings: config.torrentSettings, logger: logger)
        let hash = try await session.add(magnet: magnet, savePath: scratch, holdPayload: true, peers: peers)
        do {
            return try await session.waitForMetadata(hash, timeout: .seconds(config.torrent.metadataTimeoutSecs))
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// `downloader2 torrent create DIR -o FILE`.
struct TorrentCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a .torrent file from a file or directory.")

    @Argument(help: "The file or directory to share.") var path: String
    @Option(name: .customLong("tracker"), help: "Tracker announce URL; repeatable.") var trackers: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the .torrent file.") var output: String
    @Option(help: "Piece size in bytes (a power of two ≥ 16 KiB); default: chosen from the size.") var pieceSize: Int = 0
    @Flag(help: "Only a v1 (SHA-1) torrent, for old clients.") var v1Only = false
    @Flag(help: "Only a v2 (SHA-256) torrent.") var v2Only = false
    @Flag(name: .long, help: "Print JSON instead of text.") var json = false

    func validate() throws {
        if v1Only && v2Only { throw ValidationError("--v1-only and --v2-only exclude each other") }
        if pieceSize != 0 && (pieceSize < 16384 || pieceSize & (pieceSize - 1) != 0) {
            throw ValidationError("--piece-size must be a power of two of at least 16384")
        }
    }

    func run() throws {
        let data = try TorrentCreator.create(
            from: path, trackers: trackers, pieceSize: pieceSize, kind: v1Only ? .v1Only : v2Only ? .v2Only : .hybrid)
        guard FileManager.default.createFile(atPath: output, contents: data) else { throw CLIError("cannot write '\(output)'") }
        let metadata = try TorrentMetadata.parse(torrentFile: data)
        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: data)
        if json {
            let object: [String: Any] = [
                "file": output, "info_hash_v1": metadata.infoHashV1 ?? NSNull(), "info_hash_v2": metadata.infoHashV2 ?? NSNull(), "magnet": magnet,
            ]
            print(
                String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        } else {
            print("wrote \(output): \(metadata.files.filter { !$0.isPadding }.count) file(s), \(Format.bytes(metadata.totalSize))")
            if let v1 = metadata.infoHashV1 { print("info-hash v1 \(v1)") }
            if let v2 = metadata.infoHashV2 { print("info-hash v2 \(v2)") }
            print(magnet)
        }
    }
}
