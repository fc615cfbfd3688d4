import Foundation
import Testing

/// Independent readers of our output: ffprobe and ffmpeg (Debian) for streams and samples, mutagen
/// (PyPI) for tags and cover art. None of them shares code with the `Audio` module's writing path.
enum AudioCheck {
    struct Probe {
        var codec: String
        var sampleRate: Int
        var channels: Int
        var bitsPerRawSample: Int?
        var durationSecs: Double
        var hasAttachedPicture: Bool
    }

    static func ffprobe(_ path: String) throws -> Probe {
        let output = try ExternalTool.run("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", path])
        let json = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "ffprobe printed no JSON object for \(path)")
        let streams = json["streams"] as? [[String: Any]] ?? []
        let audio = try #require(streams.first { $0["codec_type"] as? String == "audio" }, "no audio stream in \(path)")
        let pictures = streams.filter { (($0["disposition"] as? [String: Any])?["attached_pic"] as? Int) == 1 }
        let format = json["format"] as? [String: Any] ?? [:]
        return Probe(
            codec: audio["codec_name"] as? String ?? "",
            sampleRate: Int(audio["sample_rate"] as? String ?? "") ?? 0,
            channels: audio["channels"] as? Int ?? 0,
            bitsPerRawSample: Int(audio["bits_per_raw_sample"] as? String ?? ""),
            durationSecs: Double(audio["duration"] as? String ?? format["duration"] as? String ?? "") ?? 0,
            hasAttachedPicture: !pictures.isEmpty)
    }

    /// Samples per channel a full decode yields (ffmpeg trims encoder priming and padding as players do).
    static func decodedSamples(_ path: String) throws -> Int {
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-f", "s16le", "-"]).stdout.count / 2
    }

    /// Mono 8 kHz samples of the decoded file.
    static func monoSamples(_ path: String, rate: Int = 8_000) throws -> [Int16] {
        let data = try ExternalTool.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "\(rate)", "-f", "s16le", "-"])
            .stdout
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Which of `candidates` carries the most energy in the file (Goertzel over its middle second).
    static func dominantFrequency(_ path: String, among candidates: [Double]) throws -> Double {
        let rate = 8_000
        let samples = try monoSamples(path, rate: rate)
        let window = min(rate, samples.count)
        let start = max(0, samples.count / 2 - window / 2)
        let slice = samples[start..<start + window].map(Double.init)
        return candidates.max { power(slice, $0, rate) < power(slice, $1, rate) }!
    }

    private static func power(_ samples: [Double], _ frequency: Double, _ rate: Int) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(rate))
        var s1 = 0.0, s2 = 0.0
        for x in samples {
            let s0 = x + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2
    }

    struct Tags {
        var kind: String
        /// Tag keys lowercased, values as text.
        var values: [String: [String]]
        var coverSHA256: String?

        func first(_ key: String) -> String? { values[key.lowercased()]?.first }
    }

    /// Tags and cover as mutagen reads them.
    static func mutagen(_ path: String) throws -> Tags {
        let script = """
            import mutagen, sys, json, hashlib, base64
            from mutagen.flac import Picture
            m = mutagen.File(sys.argv[1])
            tags, cover = {}, None
            def add(k, v): tags.setdefault(k.lower(), []).append(str(v))
            for k, v in (m.tags.items() if m.tags is not None else []):
                if k.startswith('APIC'): cover = bytes(v.data); continue
                if k == 'covr': cover = bytes(v[0]); continue
                if k.lower() == 'metadata_block_picture': cover = Picture(base64.b64decode(v[0])).data; continue
                if k.startswith('----'): [add(k, bytes(x).decode()) for x in v]; continue
                if k.startswith('UFID:'): add(k, bytes(v.data).decode()); continue
                if hasattr(v, 'text'): [add(k, x) for x in v.text]
                elif isinstance(v, list): [add(k, ('%d/%d' % x) if isinstance(x, tuple) else x) for x in v]
                else: add(k, v)
            if getattr(m, 'pictures', None): cover = m.pictures[0].data
            print(json.dumps({'kind': type(m).__name__, 'tags': tags, 'cover': hashlib.sha256(cover).hexdigest() if cover else None}))
            """
        let output = try ExternalTool.run(try pythonWithMutagen(), ["-c", script, path])
        let json = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "mutagen printed no JSON object for \(path)")
        return Tags(kind: json["kind"] as? String ?? "", values: json["tags"] as? [String: [String]] ?? [:], coverSHA256: json["cover"] as? String)
    }

    /// The first `python3` on PATH (or Debian's) that can import mutagen, which `make test` installs.
    static func pythonWithMutagen() throws -> String { try python(with: "mutagen") }

    /// The first `python3` on PATH (or Debian's) that can import `module` (a PyPI tool `make test` installs).
    static func python(with module: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/python3" } + ["/usr/bin/python3"]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            if (try? ExternalTool.run(candidate, ["-c", "import \(module)"])) != nil { return candidate }
        }
        Issue.record("no python3 on PATH can import \(module); `make test` installs it (Makefile PYTHON_TOOLS)")
        throw CancellationError()
    }

    static func sha256(_ path: String) throws -> String {
        let output = try ExternalTool.run("sha256sum", [path])
        return String(String(decoding: output.stdout, as: UTF8.self).prefix(64))
    }
}
