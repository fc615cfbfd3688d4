import Basics
import ArgumentParser
import Foundation
import Server
import Torrent

/// `downloader2 torrent …`: the embedded engine on its own, for users and for benchmarks.
struct TorrentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torrent",
        abstract: "Download, inspect or create torrents with the embedded engine.",
        subcommands: [TorrentAdd.self, TorrentInfo.self, TorrentCreate.self])
}

/// What a SOURCE argument names.
enum TorrentSource {
    case magnet(String)
    case file(Data, path: String)

    init(_ argument: String) throws {
        if argument.hasPrefix("magnet:") {
            self = .magnet(argument)
        } else if FileManager.default.fileExists(atPath: argument) {
            do {
                self = .file(Data(try readUntrustedFile(atPath: argument, kind: .torrentFile)), path: argument)
            } catch {
                throw CLIError("\(error)")
            }
        } else {
            throw CLIError("'\(argument)' is neither a magnet link nor a readable .torrent file")
        }
    }
}

extension AppConfig {
    /// The engine settings of `[torrent]`.
    var torrentSettings: TorrentSettings {
        var settings = TorrentSettings(
            listenInterfaces: torrent.listenInterfaces, enableDHT: torrent.enableDht, dhtBootstrapNodes: torrent.dhtBootstrapNodes,
            enableLSD: torrent.enableLsd, enableUPnP: torrent.enableUpnp, enableNATPMP: torrent.enableNatpmp, enableUTP: torrent.enableUtp,
            maxDownloadKbps: torrent.maxDownloadKbps, maxUploadKbps: torrent.maxUploadKbps, connectionsLimit: torrent.connectionsLimit,
            // A session bound to loopback only talks to this machine: every peer has the address
            // 127.0.0.1 (so more than one connection per IP must be allowed, or the first dead
            // endpoint a tracker lists blocks the live ones), its trackers are local too, and its rate
            // limits must hold for local peers (otherwise libtorrent exempts them).
            allowMultipleConnectionsPerIP: isLoopbackOnly, allowLocalTrackers: isLoopbackOnly, rateLimitLocalPeers: isLoopbackOnly)
        settings.dialUTP = torrent.dialUtp
        settings.hashingThreads = torrent.hashingThreads
        settings.aioThreads = torrent.aioThreads
        settings.diskThread = torrent.diskThread
        settings.keepFilesOpen = torrent.keepFilesOpen
        settings.osCache = torrent.osCache
        settings.sendBufferWatermarkKiB = torrent.sendBufferWatermarkKib
        settings.maxQueuedDiskKiB = torrent.maxQueuedDiskKib
        return settings
    }

    private var isLoopbackOnly: Bool {
        torrent.listenInterfaces.split(separator: ",").allSatisfy { $0.hasPrefix("127.") || $0.hasPrefix("[::1]") }
    }

    var seedingPolicy: SeedingPolicy {
        SeedingPolicy(ratioLimit: torrent.seedRatioLimit, timeLimitSecs: torrent.seedTimeLimitMins * 60, source: "[torrent] default")
    }

    /// nil when both private limits are 0: private torrents then follow the default above.
    var privateSeedingPolicy: SeedingPolicy? {
        guard torrent.privateSeedRatioLimit > 0 || torrent.privateSeedTimeLimitMins > 0 else { return nil }
        return SeedingPolicy(
            ratioLimit: torrent.privateSeedRatioLimit, timeLimitSecs: torrent.privateSeedTimeLimitMins * 60,
            source: "[torrent] private default")
    }
}

/// Human-readable byte counts and durations for progress lines.
enum Format {
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ secs: Int?) -> String {
        guard let secs else { return "∞" }
        return secs >= 3600 ? String(format: "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60) : String(format: "%d:%02d", secs / 60, secs % 60)
    }
}
