import Basics
import Foundation

/// A cover image to embed: its bytes, type and pixel size.
public struct CoverArt: Sendable, Equatable {
    public enum Kind: String, Sendable { case jpeg, png }

    public let data: [UInt8]
    public let kind: Kind
    public let width: Int
    public let height: Int

    /// Reads JPEG or PNG bytes; anything else is refused with the reason.
    public init(data: [UInt8]) throws {
        guard let (kind, width, height) = ImageHeader.read(data) else {
            throw AudioError.invalidRequest("cover image is neither a readable JPEG nor PNG (\(data.count) bytes)")
        }
        self.data = data
        self.kind = kind
        self.width = width
        self.height = height
    }

    /// Reads a cover file from a release, refusing one past ``UntrustedFileKind/coverImage``'s cap.
    public init(contentsOf path: String) throws {
        do {
            try self.init(data: try readUntrustedFile(atPath: path, kind: .coverImage))
        } catch let error as BoundedReadError {
            throw AudioError.invalidRequest("\(error)")
        }
    }

    public var mimeType: String { kind == .jpeg ? "image/jpeg" : "image/png" }

    /// A FLAC `METADATA_BLOCK_PICTURE` body (type 3, front cover), as Vorbis comments carry it in base64.
    public var flacPictureBlock: [UInt8] {
        var block: [UInt8] = []
        func be32(_ value: Int) { block += [UInt8].bigEndian32(value) }
        let mime = Array(mimeType.utf8)
        be32(3)
        be32(mime.count)
        block += mime
        be32(0)  // no description
        be32(width)
        be32(height)
        be32(kind == .png ? 32 : 24)
        be32(0)  // not indexed
        be32(data.count)
        block += data
        return block
    }

    /// How a release names its cover, read word by word (letters only, any case): a JPEG or PNG named
    /// as a front cover (front, cover, folder, albumart) ranks 2; any other JPEG or PNG 1; one whose
    /// name says it is another part of the package (back, inlay, tray, disc, cd, booklet, inside,
    /// matrix, spine, label, rear, obi) is no cover at all, even when it also says cover ("Back
    /// Cover.jpg"), and neither is anything else. Among equal ranks the larger file is the better cover.
    public static func rank(fileName path: String) -> Int? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["jpg", "jpeg", "png"].contains(ext) else { return nil }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        let words = name.split { !$0.isLetter }.map(String.init)
        let notFront = ["back", "inlay", "tray", "disc", "disk", "cd", "booklet", "inside", "matrix", "spine", "label", "rear", "obi"]
        if words.contains(where: { notFront.contains($0) || $0.hasPrefix("back") || $0.hasPrefix("inlay") }) {
            return nil
        }
        let front = ["front", "cover", "folder", "albumart", "frontcover", "albumartlarge", "albumartsmall"]
        return words.contains(where: { front.contains($0) }) ? 2 : 1
    }

    /// The best cover image in a release folder (see ``rank(fileName:)``).
    public static func find(inFolder folder: String) -> String? {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: folder) else { return nil }
        var best: (rank: Int, size: Int, path: String)? = nil
        for case let relative as String in enumerator {
            guard let rank = rank(fileName: relative) else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if best.map({ (rank, size) > ($0.rank, $0.size) }) ?? true { best = (rank, size, path) }
        }
        return best?.path
    }
}
