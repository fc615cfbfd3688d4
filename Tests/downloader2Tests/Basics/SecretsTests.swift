import Basics
import Testing

@Suite("Secrets: keys and tokens never leave as text")
struct SecretsTests {
    @Test("a registered key is redacted raw and percent-encoded; secret-looking URL parameters always")
    func redacts() {
        let secrets = Secrets()
        secrets.register("k3y/with+odd=chars", origin: "http://127.0.0.1:9117")
        let text = "GET http://127.0.0.1:9117/api?apikey=k3y%2Fwith%2Bodd%3Dchars&q=x failed; body echoed k3y/with+odd=chars"
        let out = secrets.redact(text)
        #expect(!out.contains("k3y"))
        #expect(out.contains("q=x"))
        #expect(secrets.redact("http://h/dl?jackett_apikey=abc&path=1") == "http://h/dl?jackett_apikey=***&path=1")
        #expect(secrets.redact("postgres://user:hunter2@db:5432/x") == "postgres://user:***@db:5432/x")
        #expect(secrets.redact("<a href=\"http://h/x?passkey=zz&amp;token=yy\">") == "<a href=\"http://h/x?passkey=***&amp;token=***\">")
        #expect(secrets.redact("no secrets here, key words stay") == "no secrets here, key words stay")
        // Private trackers' passkeys: in the announce path, and Gazelle's download-link parameters.
        #expect(
            secrets.redact("announce http://tracker.example:2710/0123456789abcdef0123456789ABCDEF/announce failed")
                == "announce http://tracker.example:2710/***/announce failed")
        #expect(
            secrets.redact("https://t.example/torrents.php?action=download&id=1&authkey=aa11&torrent_pass=bb22")
                == "https://t.example/torrents.php?action=download&id=1&authkey=***&torrent_pass=***")
    }

    @Test("too short to register by value: common words are never blanked")
    func shortValues() {
        let secrets = Secrets()
        secrets.register("a")
        #expect(secrets.redact("a banana") == "a banana")
    }

    @Test("a redacted link of a known origin gets its key back for fetching, and only there")
    func reveal() {
        let secrets = Secrets()
        secrets.register("SECRETKEY", origin: "http://127.0.0.1:9117/")
        let stored = secrets.redact("http://127.0.0.1:9117/dl/x/?jackett_apikey=SECRETKEY&path=abc")
        #expect(stored == "http://127.0.0.1:9117/dl/x/?jackett_apikey=***&path=abc")
        #expect(secrets.reveal(stored) == "http://127.0.0.1:9117/dl/x/?jackett_apikey=SECRETKEY&path=abc")
        #expect(secrets.reveal("http://127.0.0.1:9999/dl?apikey=***") == "http://127.0.0.1:9999/dl?apikey=***")
    }
}
