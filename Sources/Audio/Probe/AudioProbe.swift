/// Reads an audio file's description without decoding it (`downloader2 probe FILE`).
public enum AudioProbe {
    public static func info(path: String) throws -> AudioInfo {
        let source = try AudioSource(path: path)
        return source.info
    }
}

extension AudioProbe {
    /// The picture a file carries as cover art (ID3 APIC, FLAC picture, MP4 covr), if any.
    public static func embeddedPicture(path: String) -> [UInt8]? {
        (try? AudioSource(path: path))?.attachedPicture
    }
}
