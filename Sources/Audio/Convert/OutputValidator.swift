import Foundation

/// Reopens a written file and checks it is what was asked for: codec, rate, channels and length.
enum OutputValidator {
    static func validate(_ path: String, job: ConversionJob, written: WrittenAudio, sourceSecs: Double, finalPath: String) throws -> AudioInfo {
        let info: AudioInfo
        do {
            info = try AudioProbe.info(path: path)
        } catch {
            throw AudioError.validationFailed(path: finalPath, reason: "cannot reopen it: \(error)")
        }
        func fail(_ reason: String) -> AudioError { .validationFailed(path: finalPath, reason: reason) }
        guard info.codec == job.spec.codecName else { throw fail("codec is \(info.codec), expected \(job.spec.codecName)") }
        guard info.sampleRate == written.sampleRate else { throw fail("sample rate is \(info.sampleRate) Hz, expected \(written.sampleRate) Hz") }
        guard info.channels == written.channels else { throw fail("has \(info.channels) channel(s), expected \(written.channels)") }
        let tolerance = job.durationToleranceSecs
        if abs(info.durationSecs - sourceSecs) > tolerance {
            throw fail(String(format: "lasts %.2f s but its source lasts %.2f s (tolerance %.1f s)", info.durationSecs, sourceSecs, tolerance))
        }
        if let expected = job.expectedDurationSecs, abs(info.durationSecs - expected) > tolerance {
            throw fail(String(format: "lasts %.2f s but the ticket says %.2f s (tolerance %.1f s)", info.durationSecs, expected, tolerance))
        }
        return info
    }
}
