import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Adds loudness tags (and, for a release whose cover came later, the cover) to a converted track
/// once its album is done (the album's gain is known only then): the packets are copied unchanged
/// into a new file beside it, with the tags and picture it had plus the new ones, and the new file is
/// renamed over the old. MP4 without a new cover gets freeform atoms appended to a copy.
public enum ReplayGainWriter {
    /// Writes `gains` into the track at `path`, made by `spec` and tagged with `tags`. Opus gets
    /// `R128_*` (and `REPLAYGAIN_*` too with `opusReplayGain`); every other container `REPLAYGAIN_*`.
    /// `cover` is embedded when the track carries no picture of its own (a cover fetched after the
    /// tracks were converted).
    public static func write(
        _ gains: ReplayGainTags?, to path: String, spec: OutputSpec, tags: TrackTags?, cover: CoverArt? = nil, opusReplayGain: Bool = false
    ) throws {
        let style = spec.tagStyle(muxer: spec.muxerName(forPath: path))
        var entries = gains.map { spec.format == .opus ? $0.r128 : $0.replayGain } ?? [:]
        if spec.format == .opus, opusReplayGain, let gains { entries.merge(gains.replayGain) { own, _ in own } }
        guard !entries.isEmpty || cover != nil, style != .none else { return }
        // MP4 keeps these as freeform atoms, lowercase as iTunes-era tools and mutagen write them.
        if style == .mp4 { entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.key.lowercased(), $0.value) }) }
        let partial = Transcoder.partialPath(for: path)
        do {
            if style == .mp4, cover == nil {
                unlink(partial)
                try FileManager.default.copyItem(atPath: path, toPath: partial)
                try MP4Freeform.append(entries, toFileAt: partial)
            } else {
                var all = tags ?? TrackTags()
                all.custom.merge(entries) { _, new in new }
                let source = try AudioSource(path: path)
                let file = try MuxedFile(path: partial, spec: spec, copying: source)
                try file.writeHeader(tags: all, cover: source.attachedPicture.flatMap { try? CoverArt(data: $0) } ?? cover, style: style)
                _ = try source.copyPackets(into: file, cancel: CancelFlag()) { _ in }
                try file.finish()
                // The MP4 muxer drops the keys it does not know: they follow as freeform atoms.
                if style == .mp4 { try MP4Freeform.append(all.mp4Freeform, toFileAt: partial) }
            }
            guard rename(partial, path) == 0 else { throw AudioError.fileSystem(path, errno: errno) }
        } catch {
            unlink(partial)
            throw error
        }
    }
}
