import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An ID3v2 `UFID` frame added to the tag at the start of an MP3: where Picard keeps a track's
/// MusicBrainz recording id (owner `http://musicbrainz.org`, the id in ASCII), and which libav's ID3
/// writer cannot make. The tag libav wrote is read, the frame put first in it, the tag's size
/// raised, and the file rewritten beside itself and renamed over; the audio is not touched.
enum ID3UniqueFileId {
    static let musicBrainzOwner = "http://musicbrainz.org"

    /// The frame's bytes for ID3v2.`major` (3 or 4: 2.4 sizes are synch-safe).
    static func frame(owner: String, identifier: String, major: UInt8) -> [UInt8] {
        let body = Array(owner.utf8) + [0] + Array(identifier.utf8.prefix(64))
        return Array("UFID".utf8) + size(body.count, synchSafe: major == 4) + [0, 0] + body
    }

    static func size(_ value: Int, synchSafe: Bool) -> [UInt8] {
        synchSafe
            ? [UInt8((value >> 21) & 0x7f), UInt8((value >> 14) & 0x7f), UInt8((value >> 7) & 0x7f), UInt8(value & 0x7f)]
            : [UInt8((value >> 24) & 0xff), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    /// Adds the frame to the ID3v2.3/2.4 tag at the start of the file at `path`.
    ///
    /// - Throws: ``AudioError/writeFailed(path:reason:)`` when the file has no such tag at its start, or
    ///   one with unsynchronisation or an extended header (libav writes neither), or cannot be rewritten.
    static func add(owner: String = musicBrainzOwner, identifier: String, toFileAt path: String) throws {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw AudioError.writeFailed(path: path, reason: "cannot open it to add a UFID frame")
        }
        defer { try? input.close() }
        let header = [UInt8](input.readData(ofLength: 10))
        guard header.count == 10, header[0..<3].elementsEqual("ID3".utf8), header[3] == 3 || header[3] == 4, header[5] & 0xC0 == 0,
            header[6..<10].allSatisfy({ $0 < 0x80 })
        else { throw AudioError.writeFailed(path: path, reason: "no ID3v2.3/2.4 tag libav's way at its start to add a UFID frame to") }
        let tagSize = header[6..<10].reduce(0) { $0 << 7 | Int($1) }
        let frame = frame(owner: owner, identifier: identifier, major: header[3])
        let rewritten = path + ".ufid"
        FileManager.default.createFile(atPath: rewritten, contents: nil)
        guard let output = FileHandle(forWritingAtPath: rewritten) else {
            throw AudioError.writeFailed(path: path, reason: "cannot write \(rewritten) to add a UFID frame")
        }
        do {
            defer { try? output.close() }
            try output.write(contentsOf: Array(header[0..<6]) + size(tagSize + frame.count, synchSafe: true) + frame)
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: rewritten)
            // A full disk stays a full disk (retryable once there is room), whoever wrote last.
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            if (error as NSError).code == NSFileWriteOutOfSpaceError || underlying?.code == Int(ENOSPC) { throw AudioError.diskFull(path: path) }
            throw AudioError.writeFailed(path: path, reason: "adding a UFID frame: \(error.localizedDescription)")
        }
        guard rename(rewritten, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: rewritten)
            throw AudioError.writeFailed(path: path, reason: "adding a UFID frame: \(reason)")
        }
    }
}
