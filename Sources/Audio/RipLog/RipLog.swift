import Foundation

/// What an Exact Audio Copy or X Lossless Decoder extraction log says about a rip: the ripper, the
/// drive and its read offset, whether secure mode was on, each track's CRCs and AccurateRip result,
/// and the errors reported. Logs come in the encodings cue sheets do (EAC writes UTF-16 LE with a
/// byte-order mark), so they are decoded by ``CueTextDecoder``.
public struct RipLog: Sendable, Equatable, Codable {
    public enum Ripper: String, Sendable, Codable { case eac = "EAC", xld = "XLD" }

    public enum AccurateRip: Sendable, Equatable, Codable {
        /// The track matches the AccurateRip database, with this many other rips agreeing.
        case accurate(confidence: Int)
        /// The database knows the disc, and this track does not match it.
        case notAccurate
        /// Not in the database, or not checked.
        case unknown
    }

    public struct Track: Sendable, Equatable, Codable {
        public var number: Int
        /// The CRC-32 of the track's audio as written (EAC "Copy CRC", XLD "CRC32 hash").
        public var copyCRC: UInt32?
        /// The CRC-32 of the test pass, when one was made.
        public var testCRC: UInt32?
        public var accurateRip: AccurateRip
        /// Read errors, skipped or suspicious positions the log reports for the track.
        public var errors: Int
    }

    public var ripper: Ripper
    public var version: String?
    public var drive: String?
    public var readOffset: Int?
    /// EAC "Read mode : Secure", XLD "Ripper mode : XLD Secure Ripper".
    public var secureMode: Bool?
    public var tracks: [Track]
    /// The log's own summary: "No errors occurred" (true), "There were errors" (false), or absent.
    public var noErrorsReported: Bool?

    /// Secure mode, no errors anywhere, test and copy CRCs agreeing.
    public var isClean: Bool {
        secureMode != false && noErrorsReported != false && tracks.allSatisfy { $0.errors == 0 && ($0.testCRC == nil || $0.testCRC == $0.copyCRC) }
    }

    /// Every track verified by AccurateRip.
    public var isAccurateRipVerified: Bool {
        !tracks.isEmpty && tracks.allSatisfy { if case .accurate = $0.accurateRip { true } else { false } }
    }

    /// One line on the rip, for a candidate's reasoning or a verification note.
    public var summary: String {
        let accurate = tracks.filter { if case .accurate = $0.accurateRip { true } else { false } }.count
        let errors = tracks.reduce(0) { $0 + $1.errors }
        var parts = ["\(ripper.rawValue)\(version.map { " \($0)" } ?? "") log"]
        if let secureMode { parts.append(secureMode ? "secure mode" : "not in secure mode") }
        parts.append("AccurateRip \(accurate)/\(tracks.count) tracks")
        parts.append(errors == 0 && noErrorsReported != false ? "no errors" : "\(errors) error\(errors == 1 ? "" : "s") reported")
        return parts.joined(separator: ", ")
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notARipLog
        public var description: String { "not an EAC or XLD extraction log" }
    }

    /// Reads a log file (at most 1 MiB, decoded like a cue sheet).
    public static func read(path: String) throws -> RipLog {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw AudioError.unreadable(path: path, reason: "cannot open the log") }
        defer { try? handle.close() }
        let bytes = [UInt8](handle.readData(ofLength: 1 << 20))
        return try parse(CueTextDecoder.decode(bytes).text)
    }

    public static func parse(_ text: String) throws -> RipLog {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first(where: { !$0.isEmpty }) else { throw ParseError.notARipLog }
        if first.hasPrefix("Exact Audio Copy") || lines.contains(where: { $0.hasPrefix("EAC extraction logfile") }) {
            return parseEAC(lines, header: first)
        }
        if first.hasPrefix("X Lossless Decoder") || lines.contains(where: { $0.hasPrefix("XLD extraction logfile") }) {
            return parseXLD(lines, header: first)
        }
        throw ParseError.notARipLog
    }

    /// `key : value` with any spacing around the colon.
    static func field(_ line: String, _ key: String) -> String? {
        guard line.hasPrefix(key) else { return nil }
        let rest = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        return rest.dropFirst().trimmingCharacters(in: .whitespaces)
    }

    static func hex(_ text: String) -> UInt32? {
        UInt32(text.split(separator: " ").first.map(String.init) ?? "", radix: 16)
    }

    static func firstInteger(in text: some StringProtocol) -> Int? {
        var digits = ""
        var sign = ""
        for character in text {
            if character.isNumber, character.isASCII {
                digits.append(character)
            } else if digits.isEmpty, character == "-" || character == "+" {
                sign = String(character)
            } else if !digits.isEmpty {
                break
            } else {
                sign = ""
            }
        }
        return Int(sign + digits)
    }

    private static func parseEAC(_ lines: [String], header: String) -> RipLog {
        var log = RipLog(ripper: .eac, tracks: [])
        if header.hasPrefix("Exact Audio Copy") {
            log.version = header.dropFirst("Exact Audio Copy".count).split(separator: " ").prefix(2).joined(separator: " ")
        }
        var current: Track?
        func close() { if let track = current { log.tracks.append(track) }; current = nil }
        for line in lines {
            if let value = field(line, "Used drive") {
                log.drive = value.components(separatedBy: "Adapter:").first?.trimmingCharacters(in: .whitespaces)
            } else if let value = field(line, "Read offset correction") {
                log.readOffset = firstInteger(in: value)
            } else if let value = field(line, "Read mode") {
                log.secureMode = value.lowercased().hasPrefix("secure")
            } else if line.hasPrefix("Track"), let number = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) {
                close()
                current = Track(number: number, accurateRip: .unknown, errors: 0)
            } else if current != nil {
                if line.hasPrefix("Copy CRC") {
                    current!.copyCRC = hex(String(line.dropFirst("Copy CRC".count)).trimmingCharacters(in: .whitespaces))
                } else if line.hasPrefix("Test CRC") {
                    current!.testCRC = hex(String(line.dropFirst("Test CRC".count)).trimmingCharacters(in: .whitespaces))
                } else if line.hasPrefix("Accurately ripped") {
                    current!.accurateRip = .accurate(
                        confidence: line.range(of: "confidence").flatMap { firstInteger(in: line[$0.upperBound...]) } ?? 1)
                } else if line.hasPrefix("Cannot be verified as accurate") {
                    current!.accurateRip = .notAccurate
                } else if ["Suspicious position", "Missing samples", "Timing problem", "File write error", "Copy aborted"].contains(where: {
                    line.hasPrefix($0)
                }) {
                    current!.errors += 1
                }
            }
            if line.hasPrefix("No errors occurred") || line.hasPrefix("No errors occured") {
                log.noErrorsReported = true; close()
            } else if line.hasPrefix("There were errors") {
                log.noErrorsReported = false; close()
            } else if line.hasPrefix("None of the tracks are present in the AccurateRip database") || line.hasPrefix("End of status report") {
                close()
            }
        }
        close()
        return log
    }

    private static func parseXLD(_ lines: [String], header: String) -> RipLog {
        var log = RipLog(ripper: .xld, tracks: [])
        if header.hasPrefix("X Lossless Decoder version") {
            log.version = header.dropFirst("X Lossless Decoder version".count).split(separator: " ").first.map(String.init)
        }
        var current: Track?
        func close() { if let track = current { log.tracks.append(track) }; current = nil }
        for line in lines {
            if let value = field(line, "Used drive") {
                log.drive = value
            } else if let value = field(line, "Read offset correction") {
                log.readOffset = firstInteger(in: value)
            } else if let value = field(line, "Ripper mode") {
                log.secureMode = value.contains("Secure") || value.contains("CDParanoia")
            } else if line.hasPrefix("Track "), let number = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
                close()
                current = Track(number: number, accurateRip: .unknown, errors: 0)
            } else if current != nil {
                if let value = field(line, "CRC32 hash") {
                    current!.copyCRC = hex(value)
                } else if let value = field(line, "CRC32 hash (test run)") {
                    current!.testCRC = hex(value)
                } else if line.hasPrefix("->Accurately ripped") {
                    current!.accurateRip = .accurate(
                        confidence: line.range(of: "confidence").flatMap { firstInteger(in: line[$0.upperBound...]) } ?? 1)
                } else if line.hasPrefix("->Rip may not be accurate") {
                    current!.accurateRip = .notAccurate
                } else if let key = ["Read error", "Skipped (treated as error)", "Inconsistency in error sectors", "Damaged sector count"].first(
                    where: { line.hasPrefix($0) }),
                    let count = field(line, key).flatMap({ firstInteger(in: $0) })
                {
                    current!.errors += count
                }
            }
            if line.hasPrefix("No errors occurred") {
                log.noErrorsReported = true; close()
            } else if line.hasPrefix("Some inconsistencies found") || line.hasPrefix("There were errors") {
                log.noErrorsReported = false; close()
            } else if line.hasPrefix("End of status report") {
                close()
            }
        }
        close()
        return log
    }
}
