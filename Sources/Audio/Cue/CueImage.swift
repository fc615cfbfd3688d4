import Basics
import Foundation

/// A CUE sheet resolved against the folder it sits in: each track with the audio file it is cut
/// from and its exact sample range there, ready to become a `ConversionJob`.
public struct CueImage: Sendable {
    public struct TrackSource: Sendable, Equatable {
        public var number: Int
        public var title: String?
        public var performer: String?
        public var input: String
        public var range: SampleRange
    }

    public let sheet: CueSheet
    public let tracks: [TrackSource]

    /// Reads the sheet at `cuePath` and finds its audio files. A FILE line often names the rip's
    /// original WAV while the folder holds the same image re-encoded ("Album.wav" → "Album.flac"), so a
    /// missing name falls back to the same stem with any audio extension.
    public init(cuePath: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try readUntrustedFile(atPath: cuePath, kind: .cueSheet)
        } catch {
            throw AudioError.invalidCueSheet("\(error)")
        }
        sheet = try CueSheet.parse(bytes)
        let folder = (cuePath as NSString).deletingLastPathComponent
        var rates: [String: Int] = [:]
        var resolved: [TrackSource] = []
        for file in Set(sheet.tracks.map(\.file)) {
            let path = try Self.locate(file, in: folder)
            rates[file] = try AudioProbe.info(path: path).sampleRate
            for (track, range) in sheet.segments(sampleRate: rates[file]!) where track.file == file {
                resolved.append(
                    TrackSource(number: track.number, title: track.title, performer: track.performer ?? sheet.performer, input: path, range: range))
            }
        }
        tracks = resolved.sorted { $0.number < $1.number }
    }

    static let audioExtensions = ["flac", "ape", "wv", "wav", "aiff", "aif", "tta", "m4a"]

    static func locate(_ name: String, in folder: String) throws -> String {
        let fm = FileManager.default
        let direct = (folder as NSString).appendingPathComponent(name.replacingOccurrences(of: "\\", with: "/"))
        if fm.fileExists(atPath: direct) { return direct }
        let stem = ((direct as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        if let match = entries.first(where: {
            ($0 as NSString).deletingPathExtension.lowercased() == stem && audioExtensions.contains(($0 as NSString).pathExtension.lowercased())
        }) {
            return (folder as NSString).appendingPathComponent(match)
        }
        throw AudioError.invalidCueSheet("the sheet names '\(name)', which is not in '\(folder)'")
    }
}
