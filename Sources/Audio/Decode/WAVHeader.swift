import Foundation

/// The length a WAV file's own header declares. libav caps a WAV's duration at what the file holds,
/// so a download cut short would look complete; the RIFF `data` chunk still says how long it should be.
enum WAVHeader {
    /// Sample frames the `data` chunk declares, or nil when the header cannot be read.
    static func declaredFrames(path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let bytes = [UInt8](handle.readData(ofLength: 64 * 1024))
        guard bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WAVE".utf8) else { return nil }
        var offset = 12
        var blockAlign: Int? = nil
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if id == "fmt ", offset + 22 <= bytes.count { blockAlign = Int(bytes[offset + 20]) | Int(bytes[offset + 21]) << 8 }
            if id == "data" {
                // 0 and 0xFFFFFFFF mean "unknown" (streamed or RF64 files).
                guard let blockAlign, blockAlign > 0, size > 0, size != 0xFFFF_FFFF else { return nil }
                return Int64(size / blockAlign)
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
