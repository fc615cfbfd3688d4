/// The admin page served at `/`: one HTML document with its CSS and JavaScript inline, no CDN and
/// no build step, so it works offline on a NAS. It speaks only the public API: REST with the bearer
/// token (kept in `sessionStorage`, never in a URL) and the event WebSocket, authenticated with
/// the `bearer.<token>` subprotocol because browsers cannot set headers on a WebSocket.
///
/// The page is `Sources/Server/Embedded/admin.html`, embedded into the binary at build time by the
/// EmbedText plugin; `AdminPageTests` parses it as HTML and drives it in chromium.
enum AdminPage {
    static var html: String { EmbeddedText.admin_html }
}
