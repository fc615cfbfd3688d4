import Foundation

/// Writes custom tags into an MP4 as iTunes freeform atoms (`----:com.apple.iTunes:KEY`), which
/// libav's MP4 muxer cannot: it drops metadata keys it does not know.
///
/// Works on a finished file whose `moov` box comes last (libav's default without `faststart`), so
/// growing `moov` moves no sample data and no chunk offset changes. The box is rewritten in place.
enum MP4Freeform {
    static func append(_ tags: [String: String], toFileAt path: String) throws {
        guard !tags.isEmpty else { return }
        func fail(_ reason: String) -> AudioError { .writeFailed(path: path, reason: "cannot add MP4 freeform tags: \(reason)") }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw fail("cannot open the file") }
        defer { try? handle.close() }
        let fileSize = try handle.seekToEnd()
        // Walk the top-level boxes to the last one, which must be moov.
        var offset: UInt64 = 0
        var moov: (offset: UInt64, size: UInt64)? = nil
        while offset + 8 <= fileSize {
            try handle.seek(toOffset: offset)
            let header = [UInt8](handle.readData(ofLength: 16))
            var size = UInt64(header.bigEndian32(at: 0))
            if size == 1, header.count == 16 { size = UInt64(header.bigEndian32(at: 8)) << 32 | UInt64(header.bigEndian32(at: 12)) }
            if size == 0 { size = fileSize - offset }
            guard size >= 8 else { throw fail("box of size \(size) at \(offset)") }
            moov = String(decoding: header[4..<8], as: UTF8.self) == "moov" ? (offset, size) : nil
            offset += size
        }
        guard let moov, moov.offset + moov.size == fileSize else { throw fail("moov is not the last box") }
        try handle.seek(toOffset: moov.offset)
        var box = [UInt8](handle.readData(ofLength: Int(moov.size)))
        // moov > udta > meta (a full box: 4 bytes of version and flags before its children) > ilst
        guard let udta = child("udta", in: box, from: 8, to: box.count),
            let meta = child("meta", in: box, from: udta + 8, to: udta + box.bigEndian32(at: udta)),
            let ilst = child("ilst", in: box, from: meta + 12, to: meta + box.bigEndian32(at: meta))
        else { throw fail("no moov/udta/meta/ilst to add to") }
        let atoms = tags.sorted { $0.key < $1.key }.flatMap { freeform(key: $0.key, value: $0.value) }
        let insertAt = ilst + box.bigEndian32(at: ilst)
        box.insert(contentsOf: atoms, at: insertAt)
        for parent in [0, udta, meta, ilst] { setBE32(&box, parent, box.bigEndian32(at: parent) + atoms.count) }
        try handle.seek(toOffset: moov.offset)
        handle.write(Data(box))
    }

    /// One `----` atom: `mean` (the iTunes namespace), `name` (the key) and `data` (UTF-8 text).
    static func freeform(key: String, value: String) -> [UInt8] {
        func atom(_ type: String, _ body: [UInt8]) -> [UInt8] { [UInt8].bigEndian32(8 + body.count) + Array(type.utf8) + body }
        let mean = atom("mean", [0, 0, 0, 0] + Array("com.apple.iTunes".utf8))
        let name = atom("name", [0, 0, 0, 0] + Array(key.utf8))
        let data = atom("data", [0, 0, 0, 1, 0, 0, 0, 0] + Array(value.utf8))
        return atom("----", mean + name + data)
    }

    private static func child(_ type: String, in box: [UInt8], from start: Int, to end: Int) -> Int? {
        var offset = start
        while offset + 8 <= min(end, box.count) {
            let size = box.bigEndian32(at: offset)
            guard size >= 8 else { return nil }
            if String(decoding: box[offset + 4..<offset + 8], as: UTF8.self) == type { return offset }
            offset += size
        }
        return nil
    }

    private static func setBE32(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        bytes.replaceSubrange(at..<at + 4, with: [UInt8].bigEndian32(value))
    }
}
