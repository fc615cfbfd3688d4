import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Adds loudness tags to a converted track once its album is done (the album's gain is known only
/// then): the packets are copied unchanged into a new file beside it, with the tags it had plus the
/// loudness ones, and the new file is renamed over the old. MP4 gets freeform atoms appended to a copy.
public enum ReplayGainWriter {
    /// Writes `gains` into the track at `path`, made by `spec` and tagged with `tags`. Opus gets
    /// `R128_*` (and `REPLAYGAIN_*` too with `opusReplayGain`); every other container `REPLAYGAIN_*`.
    public static func write(_ gains: ReplayGainTags, to path: String, spec: OutputSpec, tags: TrackTags?, opusReplayGain: Bool = false) throws {
        let style = spec.tagStyle(muxer: spec.muxerName(forPath: path))
        var entries = spec.format == .opus ? gains.r128 : gains.replayGain
        if spec.format == .opus, opusReplayGain { entries.merge(gains.replayGain) { own, _ in own } }
        guard !entries.isEmpty, style != .none else { return }
        let partial = Transcoder.partialPath(for: path)
        do {
            if style == .mp4 {
                // `----:com.apple.iTunes:replaygain_track_gain`, lowercase as iTunes-era tools and mutagen write them.
                unlink(partial)
                try FileManager.default.copyItem(atPath: path, toPath: partial)
                try MP4Freeform.append(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.lowercased(), $0.value) }), toFileAt: partial)
            } else {
                var all = tags ?? TrackTags()
                all.custom.merge(entries) { _, new in new }
                let source = try AudioSource(path: path)
                let file = try MuxedFile(path: partial, spec: spec, copying: source)
                try file.writeHeader(tags: all, cover: source.attachedPicture.flatMap { try? CoverArt(data: $0) }, style: style)
                _ = try source.copyPackets(into: file, cancel: CancelFlag()) { _ in }
                try file.finish()
            }
            guard rename(partial, path) == 0 else { throw AudioError.fileSystem(path, errno: errno) }
        } catch {
            unlink(partial)
            throw error
        }
    }
}
