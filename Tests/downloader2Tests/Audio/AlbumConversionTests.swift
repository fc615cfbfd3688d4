import Audio
import Foundation
import Synchronization
import Testing

@Suite("Audio: an album through the pool")
struct AlbumConversionTests {
    @Test("Every track gets its own result in order; a bad track fails alone; progress moves forward to the end", .system)
    func album() async throws {
        // Given four tracks, the third of which is not audio
        let dir = TemporaryDirectory("album")
        let tones: [Double] = [330, 440, 550, 660]
        for (index, tone) in tones.enumerated() { ToneAudio.writeWAV(dir.file("\(index).wav"), frequency: tone, seconds: 2) }
        FileManager.default.createFile(atPath: dir.file("2.wav"), contents: Data(repeating: 7, count: 10_000))
        let tracks = tones.indices.map { index in
            (
                name: "Track \(index + 1)",
                job: ConversionJob(input: dir.file("\(index).wav"), output: dir.file("out/\(index).opus"), spec: OutputSpec(format: .opus))
            )
        }
        let reports = Mutex<[AlbumProgress]>([])

        // When the album is converted two at a time
        let results = await AudioConverter(width: 2).convertAlbum(tracks) { progress in reports.withLock { $0.append(progress) } }

        // Then each result is its own track's
        #expect(results.count == 4)
        for (index, result) in results.enumerated() where index != 2 {
            let converted = try result.get()
            #expect(converted.output == dir.file("out/\(index).opus"))
            #expect(try AudioCheck.dominantFrequency(converted.output, among: tones) == tones[index])
        }
        guard case .failure(let error) = results[2] else { Issue.record("the non-audio track converted"); return }
        #expect(error.isSourceDefect)
        // And the progress a ticket shows only moves forward, naming real tracks, ending at 4 of 4
        let seen = reports.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.fraction <= $1.fraction + 1e-9 })
        #expect(seen.allSatisfy { tracks.map(\.name).contains($0.currentTrackName) && $0.totalTracks == 4 })
        #expect(seen.last?.finishedTracks == 4)
        #expect(abs((seen.last?.fraction ?? 0) - 1) < 1e-9)
    }
}
