import Audio
import Foundation
import Testing

/// The EAC and XLD log reader on real logs (`Tests/RipLogs`, with provenance) and the CRC over
/// decoded audio against zlib's CRC-32 of ffmpeg's 16-bit PCM.
@Suite("Rip logs: EAC and XLD, read from real logs; CRCs of decoded audio")
struct RipLogTests {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RipLogs/\(name)").path
    }

    @Test("an old EAC log (ASCII, no AccurateRip): offset, secure mode, 13 tracks with test and copy CRCs, clean")
    func eacOld() throws {
        let log = try RipLog.read(path: Self.path("en_1.log"))
        #expect(log.ripper == .eac && log.readOffset == 102 && log.secureMode == true)
        #expect(log.drive == "HL-DT-STDVD-RAM GSA-H20L")
        #expect(log.tracks.map(\.number) == Array(1...13))
        #expect(log.tracks[0].copyCRC == 0x55A1_3DC8 && log.tracks[0].testCRC == 0x55A1_3DC8)
        #expect(log.tracks[12].copyCRC == 0x989D_6EA4)
        #expect(log.tracks.allSatisfy { $0.accurateRip == .unknown && $0.errors == 0 })
        #expect(log.noErrorsReported == true && log.isClean && !log.isAccurateRipVerified)
    }

    @Test("EAC 1.0 in UTF-16 with a BOM: 25 tracks the AccurateRip database does not confirm")
    func eacUTF16NotAccurate() throws {
        let log = try RipLog.read(path: Self.path("en_7.log"))
        #expect(log.ripper == .eac && log.version?.hasPrefix("V1.0") == true, "\(String(describing: log.version))")
        #expect(log.readOffset == 48 && log.secureMode == true && log.drive == "Optiarc DVD RW AD-7241S")
        #expect(log.tracks.count == 25 && log.tracks[0].copyCRC == 0x1598_7E0B && log.tracks[1].copyCRC == 0x4A95_EE02)
        #expect(log.tracks.allSatisfy { $0.accurateRip == .notAccurate })
        #expect(log.noErrorsReported == true && !log.isAccurateRipVerified)
        #expect(log.summary.contains("AccurateRip 0/25 tracks"), "\(log.summary)")
    }

    @Test("EAC 1.6 with a file write error: every track accurate, but not clean")
    func eacWithErrors() throws {
        let log = try RipLog.read(path: Self.path("file_write_error.log"))
        #expect(log.ripper == .eac && log.version?.hasPrefix("V1.6") == true)
        #expect(log.tracks.count == 14 && log.tracks[0].copyCRC == 0x54B0_08F1)
        #expect(log.tracks.allSatisfy { $0.accurateRip == .accurate(confidence: 1) })
        #expect(log.tracks.reduce(0) { $0 + $1.errors } == 1)
        #expect(log.noErrorsReported == false && !log.isClean && log.isAccurateRipVerified)
        #expect(log.summary.contains("1 error reported"), "\(log.summary)")
    }

    @Test("XLD: secure ripper, 19 tracks accurately ripped, CRC32 hashes, clean")
    func xld() throws {
        let log = try RipLog.read(path: Self.path("xld_perfect_2.log"))
        #expect(log.ripper == .xld && log.version == "20181019" && log.readOffset == 667 && log.secureMode == true)
        #expect(log.drive == "PIONEER BD-RW   BDR-XD05 (revision 3.10)")
        #expect(log.tracks.map(\.number) == Array(1...19))
        #expect(log.tracks[0].copyCRC == 0xF9CC_7C54 && log.tracks[0].testCRC == 0xF9CC_7C54)
        #expect(log.tracks[0].accurateRip == .accurate(confidence: 16))
        #expect(log.tracks[18].copyCRC == 0xFFC3_1B33)
        #expect(log.isClean && log.isAccurateRipVerified)
    }

    @Test("text that is not a rip log is refused by name")
    func notALog() {
        #expect(throws: RipLog.ParseError.notARipLog) { try RipLog.parse("EAC extraction log") }
        #expect(throws: RipLog.ParseError.notARipLog) { try RipLog.parse("") }
    }

    @Test("the CRC of a file's decoded audio is zlib's CRC-32 of ffmpeg's 16-bit PCM, for FLAC, WAV and 24-bit sources", .system)
    func pcmCRC() throws {
        let dir = TemporaryDirectory("riplog-crc")
        let wav = dir.file("tone.wav")
        ToneAudio.writeWAV(wav, frequency: 440, seconds: 3, noise: 0.2)
        let flac = dir.file("tone.flac")
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", wav, "-c:a", "flac", flac])
        let deep = dir.file("tone24.flac")
        try ExternalTool.run(
            "ffmpeg", ["-v", "error", "-i", wav, "-af", "volume=0.7", "-sample_fmt", "s32", "-bits_per_raw_sample", "24", "-c:a", "flac", deep])
        for path in [wav, flac, deep] {
            #expect(try AudioInspector.pcmCRC32(path: path) == (try Self.referenceCRC(path)), "\(path)")
        }
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926, "the CRC-32 check value")
    }

    /// zlib's CRC-32 (Python) of ffmpeg's s16le decode of `path`.
    static func referenceCRC(_ path: String) throws -> UInt32 {
        let script = "import sys, zlib; print('%08X' % zlib.crc32(sys.stdin.buffer.read()))"
        let output = try ExternalTool.run("/bin/bash", ["-c", "set -o pipefail; ffmpeg -v error -i '\(path)' -f s16le - | python3 -c \"\(script)\""])
        return UInt32(String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) ?? 0
    }
}
