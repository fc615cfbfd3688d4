/// What a reader sees in an audio file: container, codec, layout, length, tags and cover.
public struct AudioInfo: Sendable, Equatable, Codable {
    public var path: String
    public var container: String
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    public var channelLayout: String
    /// Bit depth of integer sources (FLAC, ALAC, WAV…); nil for lossy codecs.
    public var bitsPerSample: Int?
    /// Average bitrate in kbit/s as the container or stream reports it.
    public var bitrateKbps: Int?
    public var durationSecs: Double
    /// Container and stream tags, keys as libav reports them.
    public var tags: [String: String]
    public var hasCover: Bool
}
