/// 32-bit big-endian fields, as FLAC picture blocks, PNG headers and MP4 boxes store them.
extension Array where Element == UInt8 {
    func bigEndian32(at offset: Int) -> Int {
        Int(self[offset]) << 24 | Int(self[offset + 1]) << 16 | Int(self[offset + 2]) << 8 | Int(self[offset + 3])
    }

    static func bigEndian32(_ value: Int) -> [UInt8] { Swift.withUnsafeBytes(of: UInt32(value).bigEndian, Array.init) }
}
