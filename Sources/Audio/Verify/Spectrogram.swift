import Foundation

/// A picture of a track's spectrum over time, where a lossy encoder's low-pass shows as a flat ceiling
/// (`downloader2 inspect --spectrogram`, the admin page's verification view).
public enum Spectrogram {
    /// A PNG `width` × `height`: time from left to right (columns spread through the track), frequency
    /// from 0 Hz at the bottom to half the sample rate at the top, level as colour (black −120 dB up to
    /// white at the loudest bin). A cyan line marks `cutoffHz` when given.
    public static func png(
        path: String, width: Int = 640, height: Int = 320, cutoffHz: Int? = nil, cancel: CancelFlag = CancelFlag()
    ) throws -> [UInt8] {
        let source = try AudioSource(path: path)
        let rate = Int(source.sampleRate)
        let size = rate > 48_000 ? 4096 : 2048
        let fft = RealFFT(length: size)
        let window = RealFFT.hannWindow(size)
        let perPosition = 8
        let positions = max(1, width / perPosition)
        let total = max(Int64(size * perPosition), source.declaredSamples ?? 0)
        var columns: [[Double]] = []
        columns.reserveCapacity(positions * perPosition)
        var frame = [Float](repeating: 0, count: size)
        for position in 0..<positions {
            let start = Int64(Double(total - Int64(size * perPosition)) * Double(position) / Double(max(1, positions - 1)))
            let samples = try source.monoSamples(from: max(0, start), count: size * perPosition, cancel: cancel)
            for index in 0..<perPosition {
                var power = [Double](repeating: 0, count: size / 2 + 1)
                let offset = index * size
                if offset + size <= samples.count {
                    for i in 0..<size { frame[i] = samples[offset + i] * window[i] }
                    fft.accumulatePower(of: &frame, into: &power)
                }
                columns.append(power)
            }
        }
        let peak = columns.flatMap { $0 }.max() ?? 1
        let bins = size / 2 + 1
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for x in 0..<width {
            let column = columns[min(columns.count - 1, x * columns.count / width)]
            for y in 0..<height {
                // Row y (0 at the top) covers the bins of its band; the loudest one colours it.
                let low = (height - 1 - y) * bins / height, high = max(low + 1, (height - y) * bins / height)
                let level = column[low..<min(high, bins)].max() ?? 0
                let db = 10 * log10(max(level, peak * 1e-14) / peak)
                let (r, g, b) = colour(max(0, min(1, (db + 120) / 120)))
                let at = (y * width + x) * 3
                rgb[at] = r; rgb[at + 1] = g; rgb[at + 2] = b
            }
        }
        if let cutoffHz, cutoffHz > 0 {
            let y = height - 1 - min(height - 1, Int(Double(cutoffHz) / (Double(rate) / 2) * Double(height)))
            for x in stride(from: 0, to: width, by: 1) where (x / 6) % 2 == 0 {
                let at = (y * width + x) * 3
                rgb[at] = 0; rgb[at + 1] = 255; rgb[at + 2] = 255
            }
        }
        return try ImageConverter.encode(ImageConverter.RGBImage(width: width, height: height, rgb: rgb), as: .png)
    }

    /// Black → blue → magenta → red → yellow → white as `value` goes 0 → 1.
    static func colour(_ value: Double) -> (UInt8, UInt8, UInt8) {
        let stops: [(Double, Double, Double)] = [(0, 0, 0), (0, 0, 0.55), (0.6, 0, 0.6), (0.95, 0.1, 0.1), (1, 0.85, 0), (1, 1, 1)]
        let scaled = value * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(scaled))
        let t = scaled - Double(index)
        let (a, b) = (stops[index], stops[index + 1])
        func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8(max(0, min(255, (x + (y - x) * t) * 255))) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
