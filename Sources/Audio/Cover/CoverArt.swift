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

    /// How a release names its cover, read word by word (letters only, any case, camelCase split),
    /// leaving out the phrases of `ignoring` where they appear whole (the album's artist and title:
    /// "AC-DC - Back in Black - Front.jpg"; "Back Cover.jpg" keeps its "back").
    ///
    /// - 2: a JPEG or PNG whose file name says front, folder or albumart, whatever else it says
    ///   ("CD Front.jpg" is the case's front), or says cover without naming another part of the package;
    /// - 1: any other JPEG or PNG ("Artwork/01.jpg");
    /// - nil: one whose file or folder name says it is another part (back, rear, inlay, tray, disc, cd,
    ///   booklet, inside, inner, matrix, spine, label, obi: "Back Cover.jpg", "Booklet/03.jpg"), and
    ///   anything that is not a JPEG or PNG.
    ///
    /// Among equal ranks the larger file is the better cover.
    public static func rank(fileName path: String, ignoring: [[String]] = []) -> Int? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["jpg", "jpeg", "png"].contains(ext) else { return nil }
        let name = removing(ignoring, from: words(((path as NSString).lastPathComponent as NSString).deletingPathExtension))
        let folders = removing(ignoring, from: words((path as NSString).deletingLastPathComponent))
        // Two words run together count too: "AlbumArt_{GUID}_Large", "FrontCover".
        let joined = zip(name, name.dropFirst()).map { $0 + $1 }
        if (name + joined).contains(where: { ["front", "folder", "albumart", "frontcover", "coverfront"].contains($0) }) { return 2 }
        let otherPart: Set = [
            "back", "backcover", "coverback", "rear", "inlay", "tray", "traycard", "disc", "disk", "cd", "cdart", "discart", "booklet", "inside",
            "inner",
            "matrix", "spine", "label", "obi",
        ]
        if (name + folders).contains(where: { otherPart.contains($0) }) { return nil }
        return name.contains("cover") ? 2 : 1
    }

    /// `words` without every whole occurrence of each phrase.
    static func removing(_ phrases: [[String]], from words: [String]) -> [String] {
        var words = words
        for phrase in phrases where !phrase.isEmpty {
            var index = 0
            while index + phrase.count <= words.count {
                if Array(words[index..<index + phrase.count]) == phrase {
                    words.removeSubrange(index..<index + phrase.count)
                } else {
                    index += 1
                }
            }
        }
        return words
    }

    /// Lowercased words of a name: runs of letters, split where a lowercase letter meets an uppercase
    /// one ("CoverFront" is two words); a GUID's hex runs ({3F2504E0-4F89-11D3-9A0C-0305E82C3301})
    /// are no words.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in text {
            if character.isLetter {
                if character.isUppercase, previousLower, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(character)
                previousLower = character.isLowercase
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        let guid = text.contains("{") && text.contains("}")
        return words.map { $0.lowercased() }.filter { word in !(guid && word.count <= 4 && word.allSatisfy(\.isHexDigit)) }
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
