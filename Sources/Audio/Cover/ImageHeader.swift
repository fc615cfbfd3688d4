/// Reads an image's type and pixel size from its header, without decoding it.
enum ImageHeader {
    static func read(_ data: [UInt8]) -> (CoverArt.Kind, Int, Int)? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), data.count >= 24 {
            return (.png, data.bigEndian32(at: 16), data.bigEndian32(at: 20))  // IHDR is always the first chunk
        }
        if data.starts(with: [0xFF, 0xD8]) { return jpegSize(data).map { (.jpeg, $0.0, $0.1) } }
        return nil
    }

    /// Walks JPEG markers to the first start-of-frame segment, which holds height then width.
    private static func jpegSize(_ data: [UInt8]) -> (Int, Int)? {
        var index = 2
        while index + 9 < data.count {
            guard data[index] == 0xFF else { return nil }
            let marker = data[index + 1]
            if marker == 0xFF { index += 1; continue }
            let length = Int(data[index + 2]) << 8 | Int(data[index + 3])
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isStartOfFrame {
                let height = Int(data[index + 5]) << 8 | Int(data[index + 6])
                let width = Int(data[index + 7]) << 8 | Int(data[index + 8])
                return (width, height)
            }
            index += 2 + length
        }
        return nil
    }
}
