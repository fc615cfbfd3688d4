import Basics
import Foundation
import Testing

/// What `make dist` builds for a NAS: a binary that runs where no Swift toolchain is, and a Debian
/// package that installs, runs `doctor`, and removes and purges cleanly.
@Suite("The NAS appliance: dist/downloader2 and its .deb", .system, .serialized)
struct ApplianceTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
    static var binary: String { repository.appendingPathComponent("dist/downloader2").path }

    static func package() throws -> String {
        let dist = repository.appendingPathComponent("dist").path
        let debs = ((try? FileManager.default.contentsOfDirectory(atPath: dist)) ?? []).filter { $0.hasSuffix(".deb") }.sorted()
        guard let deb = debs.last else {
            Issue.record("no .deb in \(dist): run `make dist` (make test does)")
            throw CancellationError()
        }
        return (dist as NSString).appendingPathComponent(deb)
    }

    /// Runs a shell script off the cooperative pool; returns its status and output.
    static func shell(_ script: String) async throws -> (status: Int32, output: String) {
        try await ExternalTool.said("/bin/sh", ["-c", script])
    }

    @Test(
        "dist/downloader2 needs no Swift toolchain: with /opt/swift hidden, version, serve (healthy, a ticket accepted), convert and torrent create work"
    )
    func noToolchain() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            Issue.record("\(Self.binary) is missing: run `make dist` (make test does)")
            return
        }
        let ldd = try await Self.shell("ldd '\(Self.binary)'")
        #expect(ldd.status == 0 && !ldd.output.contains("/opt/swift") && !ldd.output.contains("not found"), "\(ldd.output)")

        let dir = TemporaryDirectory("appliance")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 3)
        _ = try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("tone.wav"), "-c:a", "flac", dir.file("tone.flac")])
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("release"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir.file("tone.flac"), toPath: dir.file("release/01.flac"))
        let port = try freeLoopbackPort()
        let ticket = Fixtures.json(Fixtures.ticket(id: "appliance-1", root: dir.file("media")))
        try ticket.write(toFile: dir.file("ticket.json"), atomically: true, encoding: .utf8)
        // A private mount namespace with an empty tmpfs over the toolchain's folder.
        let script = """
            set -e
            mount -t tmpfs tmpfs /opt/swift
            test ! -e /opt/swift/usr/lib/swift/linux/libswiftCore.so
            B='\(Self.binary)'
            "$B" version
            export DOWNLOADER2_SERVER_HOST=127.0.0.1 DOWNLOADER2_SERVER_PORT=\(port) DOWNLOADER2_SERVER_AUTH_TOKEN=appliance-token \
              DOWNLOADER2_DATABASE_PATH='\(dir.file("data/db.sqlite"))' DOWNLOADER2_PLACER_MEDIA_ROOTS='\(dir.file("media"))' \
              DOWNLOADER2_TORRENT_DOWNLOAD_PATH='\(dir.file("dl"))' DOWNLOADER2_CONVERTER_TEMP_DIR='\(dir.file("tmp"))' \
              DOWNLOADER2_TORRENT_ENABLE_DHT=false DOWNLOADER2_TORRENT_ENABLE_LSD=false DOWNLOADER2_TORRENT_ENABLE_UPNP=false \
              DOWNLOADER2_TORRENT_ENABLE_NATPMP=false DOWNLOADER2_TORRENT_LISTEN_INTERFACES=127.0.0.1:0
            "$B" serve > '\(dir.file("serve.log"))' 2>&1 &
            pid=$!
            # Until it answers (or has ended): up to 90 s, the bound of the wait and not a wait in itself.
            for i in $(seq 1 900); do curl -sf http://127.0.0.1:\(port)/api/v1/health >/dev/null && break; kill -0 $pid || break; sleep 0.1; done
            curl -sf http://127.0.0.1:\(port)/api/v1/health
            echo
            curl -s -o /dev/null -w 'POST %{http_code}\\n' -H 'Authorization: Bearer appliance-token' --data-binary @'\(dir.file("ticket.json"))' http://127.0.0.1:\(port)/api/v1/ticket
            kill -TERM $pid; wait $pid || true
            "$B" convert '\(dir.file("tone.flac"))' '\(dir.file("tone.ogg"))' --format ogg_vorbis
            "$B" torrent create '\(dir.file("release"))' -o '\(dir.file("release.torrent"))'
            echo done
            """
        try script.write(toFile: dir.file("inside.sh"), atomically: true, encoding: .utf8)
        let run = try await Self.shell("unshare -m --propagation private /bin/sh '\(dir.file("inside.sh"))'")
        #expect(run.status == 0, "\(run.output)\n\((try? String(contentsOfFile: dir.file("serve.log"), encoding: .utf8)) ?? "")")
        #expect(run.output.contains("libtorrent 2.0") && run.output.contains("libavformat"), "version names the native libraries: \(run.output)")
        #expect(run.output.contains(#""status":"ok""#), "serve was healthy: \(run.output)")
        #expect(run.output.contains("POST 201"), "a ticket was accepted: \(run.output)")
        #expect(try AudioCheck.ffprobe(dir.file("tone.ogg")).codec == "vorbis")
        #expect(FileManager.default.fileExists(atPath: dir.file("release.torrent")))
        #expect(run.output.hasSuffix("done\n") || run.output.contains("done\n"))
    }

    @Test(
        "the .deb installs (files, user, a unit systemd-analyze accepts), its doctor runs on the installed config, remove keeps data, purge removes it"
    )
    func debianPackage() async throws {
        let deb = try Self.package()
        let installed = try await Self.shell("dpkg-query -W -f='${Status}' downloader2 2>/dev/null || true")
        guard !installed.output.contains("install ok installed") else {
            Issue.record("downloader2 is already installed on this machine; the test will not touch an existing install")
            return
        }
        defer { _ = try? ExternalTool.outcome("/bin/sh", ["-c", "dpkg -P downloader2 >/dev/null 2>&1 || true"]) }

        // Given the package installed with dpkg
        let install = try await Self.shell("DEBIAN_FRONTEND=noninteractive dpkg -i '\(deb)' 2>&1")
        #expect(install.status == 0, "\(install.output)")
        let control = try await Self.shell("dpkg-deb -f '\(deb)' Depends")
        #expect(
            control.output.contains("libtorrent-rasterbar2.0") && control.output.contains("libavcodec59") && control.output.contains("libcurl4"),
            "Depends: \(control.output)")
        for path in ["/usr/bin/downloader2", "/lib/systemd/system/downloader2.service", "/etc/downloader2/config.toml", "/var/lib/downloader2"] {
            #expect(FileManager.default.fileExists(atPath: path), "\(path) installed")
        }
        #expect(
            try await Self.shell("dpkg-query -W -f='${Conffiles}' downloader2").output.contains("/etc/downloader2/config.toml"),
            "the config is a conffile")
        #expect(try await Self.shell("getent passwd downloader2").status == 0, "the system user exists")
        #expect(try await Self.shell("stat -c %U /var/lib/downloader2").output.trimmingCharacters(in: .whitespacesAndNewlines) == "downloader2")
        let verify = try await Self.shell("systemd-analyze verify /lib/systemd/system/downloader2.service 2>&1")
        #expect(verify.status == 0, "systemd-analyze verify: \(verify.output)")

        // When the installed binary's doctor runs as the service's user on the installed config
        let doctor = try await Self.shell("runuser -u downloader2 -- /usr/bin/downloader2 doctor --config /etc/downloader2/config.toml 2>&1")
        #expect(doctor.output.contains("ok      config"), "\(doctor.output)")
        #expect(doctor.output.contains("ok      encoder ogg_vorbis"), "\(doctor.output)")
        // (the example's media root /media and its indexers are not set up here: those lines are errors, and say so)
        #expect(doctor.output.contains("media_root /media"), "\(doctor.output)")

        // Then remove keeps data and configuration; purge removes them and the user
        try "keep me".write(toFile: "/var/lib/downloader2/marker", atomically: true, encoding: .utf8)
        #expect(try await Self.shell("dpkg -r downloader2 2>&1").status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/downloader2"))
        #expect(
            FileManager.default.fileExists(atPath: "/var/lib/downloader2/marker")
                && FileManager.default.fileExists(atPath: "/etc/downloader2/config.toml"))
        #expect(try await Self.shell("dpkg -P downloader2 2>&1").status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/var/lib/downloader2") && !FileManager.default.fileExists(atPath: "/etc/downloader2"))
        #expect(try await Self.shell("getent passwd downloader2").status != 0, "the user is gone")
    }
}
