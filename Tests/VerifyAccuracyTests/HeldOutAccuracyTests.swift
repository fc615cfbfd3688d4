import Audio
import Basics
import Foundation
import Testing

/// The fake-lossless detector on its held-out set (``HeldOutSet``, Tests/VerifyHeldOut/README.md):
/// material and encoders the development set never saw, frozen before any rule was changed. The
/// figures are printed per group with `transcode` and `suspect` apart; the floors asserted are the
/// held-out figures reached, never a threshold fitted to them.
@Suite("Fake-lossless detection on the held-out set", .systemTest)
struct HeldOutAccuracyTests {
    @Test("held out: no genuine file refused; band-limited masters genuine; low-rate sources at worst suspect; transcodes flagged")
    func heldOut() async throws {
        let missing = HeldOutSet.missing()
        guard missing.isEmpty else {
            Issue.record("the held-out set needs \(missing.joined(separator: ", ")): `make test-deps` installs them")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-heldout-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = try await HeldOutSet.build(in: folder)
        var judged: [(HeldOutSet.Item, SpectralVerdict)] = []
        for item in items {
            let inspection = try await runBlocking { Result { try AudioInspector.inspect(path: item.path) } }.get()
            judged.append((item, try #require(inspection.spectral, "\(item.name): no spectral verdict")))
        }
        let figures = Self.report(judged)
        print(figures.text)
        // Goals (issue "Verification that never convicts a genuine release") and the floors held here, set
        // on the held-out figures reached on 2026-12-07 with the corroboration rule (before it: 6 genuine
        // files called transcode, 4/9 band-limited masters genuine, 21/22 and 2/4 transcodes flagged).
        #expect(figures.count("genuine", .transcode) == 0, "genuine files called transcode (goal 0)")
        #expect(figures.count("genuine-fullband", .genuine) == figures.subset("genuine-fullband").count, "full-band genuine files called genuine")
        #expect(figures.share("genuine-bandlimited", .genuine) >= 0.98, "band-limited masters called genuine (goal ≥ 98 %)")
        // Below the goals (95 % and 80 %): lossy encoders that low-pass at 19 kHz or above and leave no
        // grid the detectors find cannot be told from a genuine band-limited master (docs/ARCHITECTURE.md).
        #expect(figures.flagged("transcode-≤256") >= 11.0 / 22, "transcodes at ≤ 256 kbit/s flagged, floor 11/22 reached")
    }

    struct Figures {
        var text: String
        var judged: [(HeldOutSet.Item, SpectralVerdict)]
        func subset(_ prefix: String) -> [(HeldOutSet.Item, SpectralVerdict)] { judged.filter { $0.0.group.hasPrefix(prefix) } }
        func count(_ prefix: String, _ verdict: LosslessVerdict) -> Int { subset(prefix).filter { $0.1.verdict == verdict }.count }
        func share(_ prefix: String, _ verdict: LosslessVerdict) -> Double {
            let all = subset(prefix)
            return all.isEmpty ? 0 : Double(count(prefix, verdict)) / Double(all.count)
        }
        func flagged(_ prefix: String) -> Double { 1 - share(prefix, .genuine) }
    }

    /// One row per group (genuine, suspect, transcode, total), then every file not judged as its group
    /// should be, with the evidence.
    static func report(_ judged: [(HeldOutSet.Item, SpectralVerdict)]) -> Figures {
        var lines = ["verify held-out: rows are what the file is, columns the verdict"]
        lines.append("(held-out set frozen 2026-12-07; nothing is fitted to it)")
        lines.append(
            "".padding(toLength: 24, withPad: " ", startingAt: 0) + LosslessVerdict.allCases.map { $0.rawValue.leftPadded(11) }.joined()
                + "total".leftPadded(8))
        let groups = ["genuine-fullband", "genuine-bandlimited", "genuine-lowrate", "transcode-≤256", "transcode-320/V0"]
        for group in groups {
            let rows = judged.filter { $0.0.group == group }
            lines.append(
                group.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + LosslessVerdict.allCases.map { verdict in String(rows.filter { $0.1.verdict == verdict }.count).leftPadded(11) }.joined()
                    + String(rows.count).leftPadded(8))
        }
        for (item, verdict) in judged {
            let expected: Set<LosslessVerdict> =
                switch item.group {
                case "genuine-fullband", "genuine-bandlimited": [.genuine]
                case "genuine-lowrate": [.genuine, .suspect]
                default: [.transcode]
                }
            if !expected.contains(verdict.verdict) {
                lines.append("verify held-out: \(item.name) (\(item.group)) → \(verdict.verdict.rawValue): \(verdict.evidence)")
            }
        }
        let figures = Figures(text: "", judged: judged)
        func rate(_ prefix: String, _ goal: Double) -> String {
            let all = figures.subset(prefix).count
            let hit = all - figures.count(prefix, .genuine)
            let transcodes = figures.count(prefix, .transcode)
            return "\(hit)/\(all) flagged (\(transcodes) transcode, \(hit - transcodes) suspect): goal ≥ \(Int(goal * 100)) % "
                + (Double(hit) >= goal * Double(all) ? "met" : "NOT MET")
        }
        lines.append("verify held-out: genuine called transcode \(figures.count("genuine", .transcode))/\(figures.subset("genuine").count) (goal 0)")
        lines.append(
            "verify held-out: band-limited masters genuine \(figures.count("genuine-bandlimited", .genuine))/\(figures.subset("genuine-bandlimited").count), "
                + "suspect \(figures.count("genuine-bandlimited", .suspect)) (goal ≤ 2 % suspect)")
        lines.append("verify held-out: low-rate sources called transcode \(figures.count("genuine-lowrate", .transcode)) (goal 0)")
        lines.append("verify held-out: transcodes ≤ 256 kbit/s " + rate("transcode-≤256", 0.95))
        lines.append("verify held-out: transcodes 320 kbit/s and V0 " + rate("transcode-320/V0", 0.80))
        return Figures(text: lines.joined(separator: "\n"), judged: judged)
    }
}
