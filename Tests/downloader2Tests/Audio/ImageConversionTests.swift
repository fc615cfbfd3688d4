import Audio
import Foundation
import Testing

/// Covers re-encoded between JPEG and PNG in process, checked by ffprobe and by ffmpeg's own
/// decoding of the result: the right codec, the same size, the same colour.
@Suite("Cover images: JPEG ↔ PNG without libswscale")
struct ImageConversionTests {
    let dir = TemporaryDirectory("images")

    /// A one-colour image written by ffmpeg in a given codec and pixel format.
    func make(_ name: String, color: String, pixelFormat: String, size: String = "96x64") throws -> CoverArt {
        let path = dir.file(name)
        // Half transparent for the formats with alpha.
        let alpha = pixelFormat == "rgba" ? ["-vf", "format=rgba,colorchannelmixer=aa=0.5"] : []
        try ExternalTool.run(
            "ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=\(color):s=\(size)", "-frames:v", "1"] + alpha + ["-pix_fmt", pixelFormat, path])
        return try CoverArt(contentsOf: path)
    }

    /// Codec name by ffprobe, and the mean RGB by ffmpeg's decoder.
    func inspect(_ image: CoverArt, _ name: String) throws -> (codec: String, width: Int, height: Int, rgb: [Double]) {
        let path = dir.file(name)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(image.data)))
        let probe = try ExternalTool.run(
            "ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path])
        let fields = String(decoding: probe.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(
            String.init)
        let raw = dir.file(name + ".rgb")
        try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let pixels = Double(bytes.count / 3)
        let mean = (0..<3).map { channel in stride(from: channel, to: bytes.count, by: 3).reduce(0.0) { $0 + Double(bytes[$1]) } / pixels }
        return (fields.first ?? "", Int(fields.dropFirst().first ?? "") ?? 0, Int(fields.dropFirst(2).first ?? "") ?? 0, mean)
    }

    func close(_ a: [Double], _ b: [Double], within tolerance: Double = 6) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test(
        "JPEG (4:2:0, 4:4:4, grey) becomes PNG of the same size and colour", .system,
        arguments: [
            ("yuvj420p", "orange", [255.0, 165, 0]), ("yuvj444p", "0x3366cc", [51.0, 102, 204]), ("gray", "0x808080", [128.0, 128, 128]),
        ])
    func jpegToPNG(pixelFormat: String, color: String, rgb: [Double]) throws {
        let jpeg = try make("in-\(pixelFormat).jpg", color: color, pixelFormat: pixelFormat)
        #expect(jpeg.kind == .jpeg)
        let png = try ImageConverter.convert(jpeg, to: .png)
        #expect(png.kind == .png && png.width == 96 && png.height == 64)
        let seen = try inspect(png, "out-\(pixelFormat).png")
        #expect(seen.codec == "png" && seen.width == 96 && seen.height == 64)
        #expect(close(seen.rgb, rgb), "\(seen.rgb) vs \(rgb)")
    }

    @Test(
        "PNG (RGB, RGBA over white, grey, palette, 16-bit) becomes JPEG of the same size and colour", .system,
        arguments: [
            ("rgb24", "0x2080c0", [32.0, 128, 192]), ("rgba", "0x0000ff", [127.0, 127, 255]), ("gray", "0x404040", [64.0, 64, 64]),
            ("pal8", "0xc04020", [192.0, 64, 32]), ("rgb48be", "0x10e070", [16.0, 224, 112]),
        ])
    func pngToJPEG(pixelFormat: String, color: String, rgb: [Double]) throws {
        let png = try make("in-\(pixelFormat).png", color: color, pixelFormat: pixelFormat, size: "80x120")
        #expect(png.kind == .png)
        let jpeg = try ImageConverter.convert(png, to: .jpeg)
        #expect(jpeg.kind == .jpeg && jpeg.width == 80 && jpeg.height == 120)
        let seen = try inspect(jpeg, "out-\(pixelFormat).jpg")
        #expect(seen.codec == "mjpeg" && seen.width == 80 && seen.height == 120)
        #expect(close(seen.rgb, rgb), "\(seen.rgb) vs \(rgb)")
    }

    @Test("a cut or garbled image is an error naming the problem, never a crash", .system)
    func damagedImages() throws {
        // A detailed picture, so the cut and the garbling hit the compressed data, not the header.
        let path = dir.file("whole.jpg")
        try ExternalTool.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=s=320x240", "-frames:v", "1", "-pix_fmt", "yuvj420p", path])
        let jpeg = try CoverArt(contentsOf: path)
        var garbled = jpeg.data
        for i in stride(from: garbled.count / 2, to: garbled.count, by: 1) { garbled[i] = UInt8(truncatingIfNeeded: i * 31) }
        for damaged in [Array(jpeg.data.prefix(jpeg.data.count * 2 / 3)), garbled] {
            // The header is intact in both, so each reaches the decoder.
            let image = try CoverArt(data: damaged)
            do {
                let converted = try ImageConverter.convert(image, to: .png)
                // libav conceals some damage; what it returns must still be a whole PNG.
                #expect(converted.kind == .png && converted.width == image.width)
            } catch let error as AudioError {
                #expect(error.description.hasPrefix("cannot convert the cover image"), "\(error)")
            }
        }
    }
}
