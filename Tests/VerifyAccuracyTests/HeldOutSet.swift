import Basics
import Foundation

/// The held-out set of the fake-lossless detector (Tests/VerifyHeldOut/README.md): real acoustic
/// recordings (Hydrogen's drum kits) and sampled instruments (FluidR3 GM rendered by fluidsynth)
/// arranged into three-minute tracks, genuine masters with steep digital band limits made the way
/// studios make them (sox and ffmpeg resamplers, mastering low-passes, low-rate sources, dither), and
/// transcodes by encoders the development set never uses (the lame, oggenc, opusenc and sox command
/// lines, FFmpeg's AAC with the two-loop coder and an explicit cutoff). Its recipe and labels were
/// frozen on 2026-12-07, before the rules were changed; nothing is fitted to it.
enum HeldOutSet {
    struct Item: Sendable {
        var path: String
        var name: String
        /// `genuine-fullband`, `genuine-bandlimited` (a digital low-pass at 19 kHz or above),
        /// `genuine-lowrate` (a 32 or 22.05 kHz source), `transcode-≤256`, `transcode-320/V0`.
        var group: String
        var transcoded: Bool { group.hasPrefix("transcode") }
    }

    static let seconds = 180
    static let drumkits = "/usr/share/hydrogen/data/drumkits"
    static let soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

    /// The Debian programs the set is made with, and the package each comes from.
    static let tools: [(program: String, package: String)] = [
        ("sox", "sox"), ("lame", "lame"), ("oggenc", "vorbis-tools"), ("oggdec", "vorbis-tools"), ("opusenc", "opus-tools"),
        ("opusdec", "opus-tools"), ("fluidsynth", "fluidsynth"), ("ffmpeg", "ffmpeg"),
    ]

    /// What is missing to make the set, as an install hint; empty when everything is there.
    static func missing() -> [String] {
        var missing = tools.filter { FakeLosslessAccuracyTests.which($0.program) == nil }.map { "\($0.program) (\($0.package))" }
        if !FileManager.default.fileExists(atPath: soundfont) { missing.append("\(soundfont) (fluid-soundfont-gm)") }
        if !FileManager.default.fileExists(atPath: "\(drumkits)/ColomboAcousticDrumkit") { missing.append("\(drumkits) (hydrogen-drumkits)") }
        return missing
    }

    // MARK: Sources

    /// A deterministic generator (SplitMix64), so the set is the same on every machine.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    /// A standard MIDI file (format 0, 480 ticks a beat, 120 bpm): piano chords, a string pad, a bass
    /// line, a melody on a flute or a trumpet, and GM drums, over I–vi–IV–V in C, for `seconds`.
    static func midiSong(seed: UInt64, seconds: Int) -> Data {
        var random = Random(state: seed)
        var events: [(tick: Int, bytes: [UInt8])] = []
        func note(_ channel: UInt8, _ key: Int, _ start: Int, _ length: Int, _ velocity: Int) {
            events.append((start, [0x90 | channel, UInt8(key), UInt8(velocity)]))
            events.append((start + length, [0x80 | channel, UInt8(key), 0]))
        }
        events.append((0, [0xC0, 0]))  // piano
        events.append((0, [0xC1, 48]))  // strings
        events.append((0, [0xC2, 33]))  // electric bass
        events.append((0, [0xC3, random.pick([73, 56, 65])]))  // flute, trumpet or alto sax
        let beat = 480, bar = 4 * beat
        let chords = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]]
        let scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76]
        for index in 0..<(seconds / 2) {
            let start = index * bar
            let chord = chords[index % 4]
            for key in chord {
                note(0, key, start, beat * 2 - 40, 70 + Int(random.unit() * 30))
                note(0, key, start + 2 * beat, beat * 2 - 40, 60 + Int(random.unit() * 30))
                note(1, key - 12, start, bar - 10, 50)
            }
            for step in 0..<4 { note(2, chord[0] - 24 + (step == 3 ? 7 : 0), start + step * beat, beat - 30, 90) }
            var tick = start
            while tick < start + bar {
                let length = random.pick([beat / 2, beat, beat, beat * 2])
                if random.unit() > 0.2 { note(3, random.pick(scale), tick, min(length, start + bar - tick) - 20, 80 + Int(random.unit() * 30)) }
                tick += length
            }
            for step in 0..<8 {
                note(9, 42, start + step * beat / 2, 60, 60 + Int(random.unit() * 40))  // closed hi-hat
                if step % 4 == 0 { note(9, 36, start + step * beat / 2, 60, 110) }  // kick
                if step % 4 == 2 { note(9, 38, start + step * beat / 2, 60, 100) }  // snare
            }
            if index % 8 == 0 { note(9, 49, start, 200, 100) }  // crash
        }
        events.sort { $0.tick < $1.tick || ($0.tick == $1.tick && ($0.bytes[0] & 0xF0) == 0x80 && ($1.bytes[0] & 0xF0) != 0x80) }
        func vlq(_ value: Int) -> [UInt8] {
            var bytes = [UInt8(value & 0x7F)]
            var rest = value >> 7
            while rest > 0 {
                bytes.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            return bytes
        }
        var track: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20]  // 500000 µs a beat
        var last = 0
        for event in events {
            track += vlq(event.tick - last) + event.bytes
            last = event.tick
        }
        track += [0x00, 0xFF, 0x2F, 0x00]
        func be32(_ value: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        return Data([0x4D, 0x54, 0x68, 0x64] + be32(6) + [0, 0, 0, 1, 0x01, 0xE0] + [0x4D, 0x54, 0x72, 0x6B] + be32(track.count) + track)
    }

    /// A drum track played from a Hydrogen kit's own recordings: kick, snare and hi-hat on a backbeat
    /// with a seeded velocity and a little timing spread, cymbals and toms now and then.
    static func drumTrack(kit: String, seed: UInt64, rate: Int, bits: Int, to path: String, scratch: String) throws {
        let folder = "\(drumkits)/\(kit)"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".flac") || $0.hasSuffix(".wav") }.sorted()
        func role(_ words: [String]) -> [String] { files.filter { name in words.contains { name.lowercased().contains($0) } } }
        let kicks = role(["kick", "bassdrum"]), snares = role(["snare"]).filter { !$0.lowercased().contains("rim") }
        let hats = role(["hihat-closed", "hihatclosed"]), cymbals = role(["crash", "ride", "china", "splash"]), toms = role(["tom"])
        guard !kicks.isEmpty, !snares.isEmpty, !hats.isEmpty else {
            throw FakeLosslessAccuracyTests.CommandFailed(description: "\(kit): no kick/snare/hat")
        }
        var cache: [String: [Float]] = [:]
        func samples(_ name: String) throws -> [Float] {
            if let found = cache[name] { return found }
            let raw = "\(scratch)/\(UUID().uuidString).f32"
            try FakeLosslessAccuracyTests.run(
                FakeLosslessAccuracyTests.which("sox")!, ["-R", "\(folder)/\(name)", "-t", "f32", "-r", "\(rate)", "-c", "2", raw])
            let data = try Data(contentsOf: URL(fileURLWithPath: raw))
            try? FileManager.default.removeItem(atPath: raw)
            let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            cache[name] = floats
            return floats
        }
        var random = Random(state: seed)
        var mix = [Float](repeating: 0, count: rate * seconds * 2)
        func hit(_ name: String, at seconds: Double, gain: Double) throws {
            let sound = try samples(name)
            let start = Int(seconds * Double(rate)) * 2
            guard start < mix.count else { return }
            for index in 0..<min(sound.count, mix.count - start) { mix[start + index] += sound[index] * Float(gain) }
        }
        let step = 0.125  // sixteenths at 120 bpm
        for bar in 0..<(seconds / 2) {
            let origin = Double(bar) * 2
            for sixteenth in 0..<16 {
                let at = origin + Double(sixteenth) * step + (random.unit() - 0.5) * 0.006
                if sixteenth % 2 == 0 { try hit(random.pick(hats), at: at, gain: 0.25 + random.unit() * 0.2) }
                if sixteenth == 0 || sixteenth == 8 || (sixteenth == 10 && random.unit() > 0.5) {
                    try hit(random.pick(kicks), at: at, gain: 0.7 + random.unit() * 0.3)
                }
                if sixteenth == 4 || sixteenth == 12 { try hit(random.pick(snares), at: at, gain: 0.6 + random.unit() * 0.3) }
            }
            if bar % 8 == 0, !cymbals.isEmpty { try hit(random.pick(cymbals), at: origin, gain: 0.5) }
            if bar % 8 == 7, !toms.isEmpty {
                for index in 0..<4 { try hit(random.pick(toms), at: origin + 1 + Double(index) * 0.25, gain: 0.6) }
            }
        }
        let peak = mix.reduce(Float(0)) { max($0, abs($1)) }
        let scale = peak > 0 ? Float(0.89) / peak : 1
        let raw = "\(scratch)/\(UUID().uuidString).f32"
        let scaled = mix.map { $0 * scale }
        try scaled.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: raw)) }
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try FakeLosslessAccuracyTests.run(
            FakeLosslessAccuracyTests.which("sox")!, ["-R", "-t", "f32", "-r", "\(rate)", "-c", "2", raw, "-b", "\(bits)", path])
    }

    // MARK: The set

    /// Makes every file of the set under `folder`, two programs at a time.
    static func build(in folder: String) async throws -> [Item] {
        let scratch = "\(folder)/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        @Sendable func tool(_ name: String) -> String { FakeLosslessAccuracyTests.which(name)! }
        @Sendable func run(_ name: String, _ arguments: [String]) throws { try FakeLosslessAccuracyTests.run(tool(name), arguments) }
        @Sendable func f(_ name: String) -> String { "\(folder)/\(name)" }

        // The masters: MIDI rendered at several rates (FluidR3's samples, reverb and chorus on), drums from two kits.
        let midi = "\(scratch)/song.mid"
        try midiSong(seed: 20_261_207, seconds: seconds).write(to: URL(fileURLWithPath: midi))
        @Sendable func render(_ rate: Int, _ format: String, _ out: String) throws {
            try run("fluidsynth", ["-ni", "-q", "-g", "0.4", "-r", "\(rate)", "-O", format, "-T", "wav", "-F", out, soundfont, midi])
        }
        let renders: [(Int, String)] = [(44_100, "s16"), (48_000, "s24"), (96_000, "s24"), (32_000, "s16"), (22_050, "s16")]
        try await parallel(renders) { rate, format in try render(rate, format, "\(scratch)/midi-\(rate).wav") }
        try await parallel([("ColomboAcousticDrumkit", 44_100, 16), ("ForzeeStereo", 48_000, 24)]) { kit, rate, bits in
            try drumTrack(kit: kit, seed: UInt64(rate), rate: rate, bits: bits, to: "\(scratch)/drums-\(kit).wav", scratch: scratch)
        }

        var items: [Item] = []
        var jobs: [(String, [String], Item)] = []
        func make(_ name: String, _ group: String, _ program: String, _ arguments: [String]) {
            jobs.append((program, arguments, Item(path: f(name), name: name, group: group)))
        }
        let m44 = "\(scratch)/midi-44100.wav", m48 = "\(scratch)/midi-48000.wav", m96 = "\(scratch)/midi-96000.wav"
        let colombo = "\(scratch)/drums-ColomboAcousticDrumkit.wav", forzee = "\(scratch)/drums-ForzeeStereo.wav"
        // Genuine, the whole band.
        make("midi-44k.flac", "genuine-fullband", "sox", ["-R", m44, f("midi-44k.flac")])
        make("drums-colombo-44k.flac", "genuine-fullband", "sox", ["-R", colombo, f("drums-colombo-44k.flac")])
        make("drums-forzee-48k24.flac", "genuine-fullband", "sox", ["-R", forzee, f("drums-forzee-48k24.flac")])
        make("midi-48k24.flac", "genuine-fullband", "sox", ["-R", m48, f("midi-48k24.flac")])
        make("midi-quiet-40dB.flac", "genuine-fullband", "sox", ["-R", m44, f("midi-quiet-40dB.flac"), "gain", "-n", "-40"])
        make("midi-mono.flac", "genuine-fullband", "sox", ["-R", m44, f("midi-mono.flac"), "remix", "-"])
        make("midi-96k24-dither16.flac", "genuine-fullband", "sox", ["-R", m96, "-b", "16", f("midi-96k24-dither16.flac")])
        // Genuine masters with a steep digital band limit at 19 kHz or above.
        make("midi-96k-soxrate-44k.flac", "genuine-bandlimited", "sox", ["-R", m96, "-b", "16", f("midi-96k-soxrate-44k.flac"), "rate", "44100"])
        make(
            "midi-96k-soxrate-v-44k.flac", "genuine-bandlimited", "sox",
            ["-R", m96, "-b", "16", f("midi-96k-soxrate-v-44k.flac"), "rate", "-v", "44100"])
        make(
            "midi-48k-ffmpeg-44k.flac", "genuine-bandlimited", "ffmpeg",
            ["-nostdin", "-v", "error", "-y", "-i", m48, "-ar", "44100", "-sample_fmt", "s16", f("midi-48k-ffmpeg-44k.flac")])
        for cutoff in ["19k", "19.5k", "20k", "21k"] {
            make(
                "midi-96k-lowpass-\(cutoff)-44k.flac", "genuine-bandlimited", "sox",
                ["-R", m96, "-b", "16", f("midi-96k-lowpass-\(cutoff)-44k.flac"), "sinc", "-\(cutoff)", "rate", "-v", "44100"])
        }
        make(
            "drums-forzee-48k-soxrate-v-44k16.flac", "genuine-bandlimited", "sox",
            ["-R", forzee, "-b", "16", f("drums-forzee-48k-soxrate-v-44k16.flac"), "rate", "-v", "44100"])
        make(
            "drums-colombo-lowpass-19.5k.flac", "genuine-bandlimited", "sox",
            ["-R", colombo, f("drums-colombo-lowpass-19.5k.flac"), "sinc", "-19.5k"])
        // Genuine, from low-rate sources.
        make("midi-32k-to-44k.flac", "genuine-lowrate", "sox", ["-R", "\(scratch)/midi-32000.wav", f("midi-32k-to-44k.flac"), "rate", "44100"])
        make("midi-22k-to-44k.flac", "genuine-lowrate", "sox", ["-R", "\(scratch)/midi-22050.wav", f("midi-22k-to-44k.flac"), "rate", "44100"])
        try await parallel(jobs) { program, arguments, _ in try run(program, arguments) }
        items += jobs.map(\.2)

        // Transcodes by encoders the development set does not use, decoded back to 16-bit FLAC.
        struct Encoder: Sendable {
            var name: String
            var group: String
            var file: String
            var encode: @Sendable (String, String) -> (String, [String])
            var decode: @Sendable (String, String) -> (String, [String])
        }
        /// FFmpeg's AAC with the two-loop coder and an explicit cutoff (settings the development set does not use).
        func aacTwoLoop(kbps: Int, cutoff: Int) -> Encoder {
            Encoder(
                name: "ffmpeg-aac-twoloop-\(kbps)-cutoff\(cutoff / 1000)k", group: "transcode-≤256", file: "m4a",
                encode: {
                    (
                        "ffmpeg",
                        [
                            "-nostdin", "-v", "error", "-y", "-i", $0, "-c:a", "aac", "-aac_coder", "twoloop", "-b:a", "\(kbps)k", "-cutoff",
                            "\(cutoff)", $1,
                        ]
                    )
                },
                decode: { ("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", $0, "-sample_fmt", "s16", $1]) })
        }
        let lameDecode: @Sendable (String, String) -> (String, [String]) = { input, output in ("lame", ["--silent", "--decode", input, output]) }
        let encoders: [Encoder] = [
            Encoder(
                name: "lame-cbr128", group: "transcode-≤256", file: "mp3", encode: { ("lame", ["--silent", "-b", "128", $0, $1]) }, decode: lameDecode
            ),
            Encoder(
                name: "lame-cbr192", group: "transcode-≤256", file: "mp3", encode: { ("lame", ["--silent", "-b", "192", $0, $1]) }, decode: lameDecode
            ),
            Encoder(
                name: "lame-cbr256", group: "transcode-≤256", file: "mp3", encode: { ("lame", ["--silent", "-b", "256", $0, $1]) }, decode: lameDecode
            ),
            Encoder(
                name: "lame-V2", group: "transcode-≤256", file: "mp3", encode: { ("lame", ["--silent", "-V", "2", $0, $1]) }, decode: lameDecode),
            Encoder(
                name: "lame-cbr320", group: "transcode-320/V0", file: "mp3", encode: { ("lame", ["--silent", "-b", "320", $0, $1]) },
                decode: lameDecode),
            Encoder(
                name: "lame-V0", group: "transcode-320/V0", file: "mp3", encode: { ("lame", ["--silent", "-V", "0", $0, $1]) }, decode: lameDecode),
            Encoder(
                name: "oggenc-q3", group: "transcode-≤256", file: "ogg", encode: { ("oggenc", ["-Q", "-q", "3", $0, "-o", $1]) },
                decode: { ("oggdec", ["-Q", $0, "-o", $1]) }),
            Encoder(
                name: "oggenc-q6", group: "transcode-≤256", file: "ogg", encode: { ("oggenc", ["-Q", "-q", "6", $0, "-o", $1]) },
                decode: { ("oggdec", ["-Q", $0, "-o", $1]) }),
            Encoder(
                name: "opusenc-96", group: "transcode-≤256", file: "opus", encode: { ("opusenc", ["--quiet", "--bitrate", "96", $0, $1]) },
                decode: { ("opusdec", ["--quiet", "--rate", "44100", $0, $1]) }),
            Encoder(
                name: "opusenc-160", group: "transcode-≤256", file: "opus", encode: { ("opusenc", ["--quiet", "--bitrate", "160", $0, $1]) },
                decode: { ("opusdec", ["--quiet", "--rate", "44100", $0, $1]) }),
            Encoder(
                name: "sox-mp3-192", group: "transcode-≤256", file: "mp3", encode: { ("sox", ["-R", $0, "-C", "192", $1]) },
                decode: { ("sox", ["-R", $0, $1]) }),
            aacTwoLoop(kbps: 192, cutoff: 18_000), aacTwoLoop(kbps: 256, cutoff: 20_000),
        ]
        let sources = [("midi", m44), ("drums", colombo)]
        let transcodes = sources.flatMap { source in encoders.map { (source, $0) } }
        try await parallel(transcodes) { source, encoder in
            let lossy = "\(scratch)/\(source.0)-\(encoder.name).\(encoder.file)"
            let decoded = "\(scratch)/\(source.0)-\(encoder.name)-decoded.wav"
            let (program, arguments) = encoder.encode(source.1, lossy)
            try run(program, arguments)
            let (decoder, decoderArguments) = encoder.decode(lossy, decoded)
            try run(decoder, decoderArguments)
            try run("sox", ["-R", decoded, "-b", "16", f("\(source.0)-\(encoder.name).flac")])
            try? FileManager.default.removeItem(atPath: decoded)
        }
        items += transcodes.map { source, encoder in
            Item(path: f("\(source.0)-\(encoder.name).flac"), name: "\(source.0)-\(encoder.name)", group: encoder.group)
        }
        return items
    }

    /// Runs `body` for each item, two at a time (this machine has two cores).
    static func parallel<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let item = items[next]
                next += 1
                // Off Swift's cooperative pool: each item waits on other programs.
                group.addTask { try await runBlocking { Result { try body(item) } }.get() }
            }
            for _ in 0..<min(2, items.count) { add() }
            while try await group.next() != nil {
                if next < items.count { add() }
            }
        }
    }
}
