internal import CTorrentShim

/// Facts about the embedded BitTorrent engine (libtorrent-rasterbar through `CTorrentShim`).
public enum TorrentEngineInfo {
    /// The libtorrent version the shim was compiled against.
    public static var compiledVersion: String { String(cString: lt_shim_version()) }
    /// The libtorrent version of the shared library loaded at run time.
    public static var runtimeVersion: String { String(cString: lt_shim_runtime_version()) }
}
