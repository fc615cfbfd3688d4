import Foundation

/// Where the API's bearer token comes from.
public enum AuthToken {
    /// The configured `server.auth_token`, or else a token generated once and kept in
    /// `auth_token` beside the database (mode 0600), so the API is never open by default and
    /// clients on the same machine (`downloader2 submit`) can read it.
    public static func resolve(_ config: AppConfig, createIfMissing: Bool = true) throws -> (token: String, source: String) {
        if !config.server.authToken.isEmpty { return (config.server.authToken, "server.auth_token") }
        let path = tokenFilePath(config)
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty {
            return (existing, path)
        }
        guard createIfMissing else {
            throw ConfigError(key: "server.auth_token", message: "not set, and no generated token at \(path) (has the server run yet?)")
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigError(key: "server.auth_token", message: "cannot write a generated token to \(path)")
        }
        return (token, path)
    }

    /// `auth_token` in the database's directory.
    public static func tokenFilePath(_ config: AppConfig) -> String {
        ((config.database.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("auth_token")
    }
}
