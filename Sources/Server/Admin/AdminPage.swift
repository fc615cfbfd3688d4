/// The admin page served at `/`: one HTML document with its CSS and JavaScript inline, no CDN and
/// no build step, so it works offline on a NAS. It speaks only the public API: REST with the bearer
/// token (kept in `sessionStorage`, never in a URL) and the event WebSocket, authenticated with
/// the `bearer.<token>` subprotocol because browsers cannot set headers on a WebSocket.
enum AdminPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>downloader2</title>
<style>
:root { --pending:#c9a400; --approval:#e07b00; --downloading:#1f6feb; --processing:#8250df; --completed:#1a7f37; --failed:#cf222e; --ended:#6e7781; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: #24292f; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; }
header nav { display: flex; flex-wrap: wrap; gap: .35rem; flex: 1; }
main { padding: 1rem; max-width: 1100px; margin: auto; }
#health { margin: 0; padding: .5rem 1rem; background: #fff8c5; border-bottom: 1px solid #d4a72c; }
#health.error { background: #ffebe9; border-color: #cf222e; }
#health ul { margin: .3rem 0 0; padding-left: 1.2rem; }
button, select, input, textarea { font: inherit; }
button { cursor: pointer; border: 1px solid #8c959f; background: #fff; border-radius: 6px; padding: .3rem .7rem; }
button:focus-visible, a:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
button.primary { background: #1f883d; color: #fff; border-color: #1f883d; }
button.danger { background: #fff; color: #cf222e; border-color: #cf222e; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; color: #fff; font-size: .8rem; white-space: nowrap; }
.s-pending, .s-searching, .s-matching { background: var(--pending); }
.s-needs_approval, .s-auto_approved, .s-approved { background: var(--approval); }
.s-downloading { background: var(--downloading); }
.s-paused { background: var(--ended); }
.s-wanted { background: var(--pending); }
.s-converting, .s-placing { background: var(--processing); }
.s-completed { background: var(--completed); }
.s-failed { background: var(--failed); }
.s-rejected, .s-cancelled { background: var(--ended); }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
tr.row { cursor: pointer; }
tr.row:hover { background: #f3f4f6; }
progress { width: 100%; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .7rem; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1rem; }
.hint { border-left: 4px solid var(--failed); padding-left: .6rem; }
.mismatch { background: #ffebe9; }
.muted { color: #57606a; font-size: .9rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
@media (max-width: 640px) {
  .side { grid-template-columns: 1fr; }
  .wide { display: none; }
  th, td { padding: .35rem .3rem; }
}
</style>
</head>
<body>
<header>
  <h1>downloader2</h1>
  <nav id="counts" aria-label="Tickets by state"></nav>
  <a id="blocklist-link" href="#blocklist">Blocklist</a>
  <button id="logout" type="button" hidden>Log out</button>
</header>
<div id="health" role="alert" hidden></div>
<main>
  <section id="login" hidden aria-labelledby="login-title">
    <form id="login-form" class="card">
      <h2 id="login-title">Sign in</h2>
      <p class="muted">The API token is in the server's config (<code>server.auth_token</code>) or in <code>data/auth_token</code>.</p>
      <label for="token">API token</label><br>
      <input id="token" type="password" autocomplete="current-password" required size="40">
      <button type="submit" class="primary">Sign in</button>
      <p id="login-error" role="alert"></p>
    </form>
  </section>

  <section id="queue" hidden aria-labelledby="queue-title">
    <h2 id="queue-title">Queue</h2>
    <div class="toolbar">
      <label for="filter">State</label>
      <select id="filter">
        <option value="">all</option>
        <option>pending</option><option>searching</option><option>matching</option><option>needs_approval</option><option>wanted</option>
        <option>auto_approved</option><option>approved</option><option>downloading</option><option>converting</option>
        <option>paused</option><option>placing</option><option>completed</option><option>failed</option><option>rejected</option><option>cancelled</option>
      </select>
      <button id="newer" type="button">Newer</button>
      <span id="page" class="muted"></span>
      <button id="older" type="button">Older</button>
      <span id="live" class="muted" aria-live="polite"></span>
    </div>
    <table>
      <thead><tr><th>Ticket</th><th>Album</th><th>State</th><th>Progress</th><th class="wide">Updated</th></tr></thead>
      <tbody id="tickets"></tbody>
    </table>
  </section>

  <section id="detail" hidden aria-labelledby="detail-title">
    <p><button id="back" type="button">← Queue</button></p>
    <div class="card">
      <h2 id="detail-title"></h2>
      <p id="detail-state"></p>
      <div id="detail-progress"></div>
      <div id="detail-hint"></div>
      <div class="actions" id="detail-actions"></div>
      <p id="action-result" role="status"></p>
    </div>
    <div id="approval"></div>
    <div id="verification"></div>
    <div class="card"><h3>Error history</h3><div id="errors" class="muted">none</div></div>
    <div class="card"><h3>Timeline</h3><ol id="timeline"></ol></div>
  </section>

  <section id="blocklist" hidden aria-labelledby="blocklist-title">
    <p><button id="blocklist-back" type="button">← Queue</button></p>
    <h2 id="blocklist-title">Blocklist</h2>
    <p class="muted">Releases that are never downloaded again: refused by verification (fake lossless, wrong files, a rip log that does not match), or by an operator.</p>
    <table>
      <thead><tr><th>Release</th><th>Why</th><th>Album</th><th class="wide">Added</th><th></th></tr></thead>
      <tbody id="blocklist-entries"></tbody>
    </table>
    <p id="blocklist-result" role="status"></p>
  </section>
</main>
<script>
"use strict";
const api = "/api/v1";
const pageSize = 25;
let token = sessionStorage.getItem("downloader2.token");
let offset = 0, socket = null, current = null, liveProgress = {};

const $ = (id) => document.getElementById(id);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}
const badge = (state) => el("span", { class: "badge s-" + state }, state.replace("_", " "));
const clock = (secs) => secs == null ? "" : Math.floor(secs / 60) + ":" + String(Math.round(secs % 60)).padStart(2, "0");

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method, headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) { signOut("The token was refused: " + (data.error?.message ?? "unauthorized")); throw new Error("unauthorized"); }
  if (!response.ok) throw new Error(data.error?.message ?? ("HTTP " + response.status));
  return data;
}

function show(section) {
  for (const id of ["login", "queue", "detail", "blocklist"]) $(id).hidden = id !== section;
  $("logout").hidden = section === "login";
}

function signOut(message) {
  sessionStorage.removeItem("downloader2.token");
  token = null;
  if (socket) socket.close();
  $("login-error").textContent = message ?? "";
  show("login");
  $("token").focus();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  try {
    await call("GET", "/stats");
    sessionStorage.setItem("downloader2.token", token);
    $("token").value = "";
    start();
  } catch (error) {
    if (error.message !== "unauthorized") $("login-error").textContent = error.message;
  }
});
$("logout").addEventListener("click", () => signOut());
$("filter").addEventListener("change", () => { offset = 0; loadQueue(); });
$("newer").addEventListener("click", () => { offset = Math.max(0, offset - pageSize); loadQueue(); });
$("older").addEventListener("click", () => { offset += pageSize; loadQueue(); });
$("back").addEventListener("click", () => { current = null; location.hash = ""; show("queue"); loadQueue(); });
window.addEventListener("hashchange", route);
$("blocklist-back").addEventListener("click", () => { location.hash = ""; });

// The health checks' problems as a banner, like the health page of the *arr applications.
async function loadHealth() {
  const banner = $("health");
  let report;
  try { report = await call("GET", "/health/checks"); } catch (error) { return; }
  const problems = (report.checks ?? []).filter(c => c.status !== "ok");
  banner.hidden = problems.length === 0;
  banner.className = report.status === "error" ? "error" : "";
  banner.replaceChildren(
    el("strong", {}, report.status === "error" ? "Health checks found errors" : "Health checks found warnings"),
    el("ul", {}, ...problems.map(c => el("li", {}, c.status + ": " + c.check + " " + c.subject + " — " + c.message + (c.hint ? " (" + c.hint + ")" : "")))));
}

async function loadCounts() {
  const stats = await call("GET", "/stats");
  const nav = $("counts");
  nav.replaceChildren();
  for (const [state, n] of Object.entries(stats.by_state ?? {}).sort()) {
    if (!n) continue;
    const pick = () => { $("filter").value = state; offset = 0; if (location.hash) location.hash = ""; else loadQueue(); };
    nav.append(el("button", { type: "button", class: "badge s-" + state, "aria-label": "show " + n + " " + state.replace("_", " "), onclick: pick }, state.replace("_", " ") + " " + n));
  }
}

async function loadQueue() {
  const state = $("filter").value;
  const page = await call("GET", "/tickets?limit=" + pageSize + "&offset=" + offset + (state ? "&state=" + state : ""));
  const body = $("tickets");
  body.replaceChildren();
  for (const t of page.tickets) {
    const open = () => { location.hash = "#ticket/" + encodeURIComponent(t.ticket_id); };
    const row = el("tr", { class: "row", tabindex: "0", "data-ticket": t.ticket_id, onclick: open, onkeydown: (e) => { if (e.key === "Enter") open(); } },
      el("td", {}, t.ticket_id),
      el("td", {}, t.ticket.search.artist + " — " + t.ticket.search.album),
      el("td", {}, badge(t.state)),
      el("td", { class: "progress-cell" }, progressView(t.ticket_id, t.state, t.state_details)),
      el("td", { class: "wide muted" }, new Date(t.updated_at).toLocaleString()));
    body.append(row);
  }
  $("page").textContent = page.total === 0 ? "no tickets" : (offset + 1) + "–" + Math.min(offset + pageSize, page.total) + " of " + page.total;
  $("newer").disabled = offset === 0;
  $("older").disabled = offset + pageSize >= page.total;
  await loadCounts();
  loadHealth();
}

function progressView(id, state, details) {
  const live = liveProgress[id];
  if (live && (state === "downloading" || state === "converting" || state === "placing")) {
    const pct = live.percent ?? 0;
    const rate = live.download_rate ? " · " + (live.download_rate / 1048576).toFixed(1) + " MiB/s" : "";
    const what = live.current_track_name ? " · " + live.current_track_name : "";
    return el("span", {}, el("progress", { max: "100", value: String(pct), "aria-label": "progress" }), el("span", { class: "muted" }, pct.toFixed(0) + "%" + rate + what));
  }
  if (state === "downloading" && details?.progress_pct != null) return el("progress", { max: "100", value: String(details.progress_pct), "aria-label": "progress" });
  if (state === "converting" && details) return el("span", { class: "muted" }, "track " + (details.current_track_idx + 1) + "/" + details.total_tracks);
  return el("span", { class: "muted" }, "");
}

const hints = {
  stalled: "No data arrived for too long: the release has no seeders left. Retry later, or force a search for another release.",
  metadata_timeout: "No peer sent the torrent's file list: the release is probably dead. Force a search for another one.",
  no_candidates: "No indexer returned anything: check that the indexers are configured and reachable, or force a search with a simpler query.",
  no_indexers: "No indexer is configured: set [jackett] or [torznab] in the config.",
  disk_full: "The disk is full: free some space, then retry.",
  permission_denied: "The destination refused the file: check the media share's permissions and [placer] owner/modes.",
  corrupt_source: "The downloaded audio is damaged: reject this release or force a search for another.",
  unmapped_tracks: "The release lacks some of the album's tracks: choose another release.",
};

async function route() {
  if (location.hash === "#blocklist") { current = null; show("blocklist"); return loadBlocklist(); }
  const match = location.hash.match(/^#ticket\/(.+)$/);
  if (!match) { current = null; show("queue"); return loadQueue(); }
  current = decodeURIComponent(match[1]);
  show("detail");
  await loadDetail();
}

async function loadDetail() {
  const t = await call("GET", "/ticket/" + encodeURIComponent(current) + "?history=true");
  $("detail-title").textContent = t.ticket.search.artist + " — " + t.ticket.search.album + " (" + t.ticket_id + ")";
  $("detail-state").replaceChildren(badge(t.state), " ", el("span", { class: "muted" }, "retries " + t.retry_count + (t.error_message ? " · " + t.error_message : "")));
  $("detail-progress").replaceChildren(progressView(t.ticket_id, t.state, t.state_details));
  if (t.state === "wanted") $("detail-progress").replaceChildren(el("p", { class: "muted" }, "Not found yet (" + t.state_details.searches + " search(es)): searched again " + new Date(t.state_details.next_search_at).toLocaleString() + ". " + t.state_details.reason));
  const failed = t.state === "failed" ? t.state_details : null;
  $("detail-hint").replaceChildren(failed ? el("p", { class: "hint" }, hints[failed.code] ?? "The last error is above; retry, or force a search.") : "");
  renderActions(t);
  renderApproval(t);
  renderVerification(t);
  const errors = $("errors");
  errors.replaceChildren(...(t.error_history.length ? t.error_history.map((e) => el("p", {}, new Date(e.timestamp).toLocaleString() + " · " + e.state + " · " + e.code + ": " + e.message)) : ["none"]));
  $("timeline").replaceChildren(...(t.history ?? []).map((e) => el("li", {}, new Date(e.at).toLocaleTimeString() + " · " + e.type + (e.payload?.new_state ? " → " + e.payload.new_state : ""))));
}

function action(label, handler, kind) {
  return el("button", { type: "button", class: kind ?? "", onclick: async () => {
    try { await handler(); $("action-result").textContent = label + ": done"; await loadDetail(); }
    catch (error) { $("action-result").textContent = label + ": " + error.message; }
  } }, label);
}

function renderActions(t) {
  const box = $("detail-actions");
  box.replaceChildren();
  const id = encodeURIComponent(t.ticket_id);
  if (t.state === "needs_approval") {
    const reason = el("input", { id: "reject-reason", placeholder: "why (optional)" });
    box.append(el("label", { for: "reject-reason" }, "Reject reason"), reason, action("Reject", () => call("POST", "/ticket/" + id + "/reject", { reason: reason.value || null }), "danger"));
  }
  if (["failed", "rejected", "needs_approval", "wanted"].includes(t.state)) {
    const query = el("input", { id: "search-query", value: t.ticket.search.artist + " " + t.ticket.search.album });
    box.append(el("label", { for: "search-query" }, "Search for"), query, action("Force search", () => call("POST", "/ticket/" + id + "/force-search", { query: query.value })));
  }
  if (t.state === "failed") box.append(action("Retry", () => call("POST", "/ticket/" + id + "/retry")));
  if (["downloading", "approved", "auto_approved"].includes(t.state)) box.append(action("Pause", () => call("POST", "/ticket/" + id + "/pause")));
  if (t.state === "paused") box.append(action("Resume", () => call("POST", "/ticket/" + id + "/resume"), "primary"));
  if (!["completed", "cancelled", "rejected"].includes(t.state)) box.append(action("Cancel", () => call("DELETE", "/ticket/" + id), "danger"));
}

function renderApproval(t) {
  const box = $("approval");
  box.replaceChildren();
  if (t.state !== "needs_approval") return;
  const d = t.state_details;
  box.append(el("div", { class: "card" }, el("h3", {}, "Needs approval"),
    el("p", { class: "muted" }, "Why: " + (d.reason?.kind ?? "").replaceAll("_", " ") + " · confidence " + (d.confidence ?? 0).toFixed(2))));
  d.candidates.forEach((c, idx) => {
    const mapped = Object.fromEntries((c.track_mapping ?? []).map((m) => [m.catalog_track_id, m]));
    const rows = t.ticket.tracks.map((track) => {
      const m = mapped[track.catalog_track_id];
      const weak = !m || m.confidence < 0.6;
      return el("tr", { class: weak ? "mismatch" : "" },
        el("td", {}, track.track_number + ". " + track.name + " " + clock(track.duration_secs)),
        el("td", {}, m ? m.torrent_file_path.split("/").pop() + (m.cue_track ? " #" + m.cue_track : "") + " (" + m.confidence.toFixed(2) + ")" : "— no file"));
    });
    box.append(el("div", { class: "card candidate", "data-idx": String(idx) },
      el("h4", {}, (idx === d.recommended_idx ? "★ " : "") + "#" + (idx + 1) + " " + c.torrent.title),
      el("p", {}, "score " + c.score.toFixed(3) + " · " + c.torrent.seeders + " seeders · " + (c.torrent.size_bytes / 1048576).toFixed(0) + " MiB · " + c.torrent.indexer),
      el("p", { class: "muted" }, c.reasoning),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Ticket track"), el("th", {}, "Release file"))), el("tbody", {}, ...rows)),
      el("p", {}, action("Approve #" + (idx + 1), () => call("POST", "/ticket/" + encodeURIComponent(t.ticket_id) + "/approve", { candidate_idx: idx }), "primary"))));
  });
}

// What verification found in each downloaded release: per-file probe, durations, fake-lossless
// verdict with the cutoff, rip-log CRCs; a spectrogram on demand for files that are not genuine.
function renderVerification(t) {
  const box = $("verification");
  box.replaceChildren();
  const reports = (t.history ?? []).filter((e) => e.type === "verified");
  for (const report of reports.reverse()) {
    const p = report.payload;
    const rows = (p.files ?? []).map((f) => {
      const duration = clock(f.duration_secs) + (f.expected_secs ? " / " + clock(f.expected_secs) : "");
      const spectrum = f.verdict ? f.verdict + (f.cutoff_hz ? " · cutoff " + f.cutoff_hz + " Hz" : "") : "—";
      const crc = f.log_crc ? (f.crc === f.log_crc ? "matches log" : f.crc + " ≠ log " + f.log_crc) : "";
      const cell = el("td", {}, spectrum);
      if (f.verdict && f.verdict !== "genuine") {
        cell.append(" ", el("button", { type: "button", class: "spectrogram", onclick: async (event) => {
          const button = event.target;
          try {
            const response = await fetch(api + "/ticket/" + encodeURIComponent(t.ticket_id) + "/spectrogram?file=" + encodeURIComponent(f.path), { headers: { Authorization: "Bearer " + token } });
            if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error?.message ?? ("HTTP " + response.status));
            const img = el("img", { alt: "Spectrogram of " + f.path, src: URL.createObjectURL(await response.blob()), width: "640", height: "320" });
            button.replaceWith(img);
          } catch (error) { button.textContent = "Spectrogram: " + error.message; }
        } }, "Spectrogram"));
      }
      return el("tr", { class: f.problem || (f.verdict && f.verdict !== "genuine") ? "mismatch" : "" },
        el("td", {}, f.path), el("td", {}, (f.codec ?? "?") + " " + (f.sample_rate ?? "") + " Hz" + (f.bits_per_sample ? " " + f.bits_per_sample + "-bit" : "")),
        el("td", {}, duration), cell, el("td", {}, crc), el("td", {}, f.problem ?? ""));
    });
    box.append(el("div", { class: "card verification" },
      el("h3", {}, "Verification: " + (p.accepted ? "accepted" : "refused") + (p.verdict ? " · " + p.verdict : "")),
      el("p", { class: "muted" }, (p.title ?? "") + " · " + (p.info_hash ?? "")),
      ...(p.problems ?? []).map((x) => el("p", { class: "hint" }, x)),
      ...(p.notes ?? []).map((x) => el("p", { class: "muted" }, x)),
      ...(p.rip_logs ?? []).map((x) => el("p", { class: "muted" }, "Rip log: " + x)),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "File"), el("th", {}, "Audio"), el("th", {}, "Length / ticket"), el("th", {}, "Spectrum"), el("th", {}, "CRC"), el("th", {}, "Problem"))),
        el("tbody", {}, ...rows))));
  }
}

async function loadBlocklist() {
  const list = await call("GET", "/blocklist");
  $("blocklist-entries").replaceChildren(...(list.entries.length ? list.entries.map((e) => el("tr", { "data-hash": e.info_hash },
    el("td", {}, (e.title ?? "") , el("br"), el("code", {}, e.info_hash)),
    el("td", {}, e.reason + " (" + e.source + ")"),
    el("td", {}, e.album ? (e.artist ?? "") + " — " + e.album : "every album"),
    el("td", { class: "wide" }, new Date(e.created_at).toLocaleString()),
    el("td", {}, el("button", { type: "button", class: "danger", onclick: async () => {
      try { await call("DELETE", "/blocklist/" + e.info_hash); $("blocklist-result").textContent = "Removed " + e.info_hash; await loadBlocklist(); }
      catch (error) { $("blocklist-result").textContent = error.message; }
    } }, "Remove")))) : [el("tr", {}, el("td", { colspan: "5", class: "muted" }, "empty"))]));
}

function connect() {
  if (socket) socket.close();
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + api + "/ws";
  socket = new WebSocket(url, ["downloader2.v1", "bearer." + token]);
  socket.onopen = () => { $("live").textContent = "live"; };
  socket.onclose = () => { $("live").textContent = "offline"; if (token) setTimeout(connect, 3000); };
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "progress") {
      liveProgress[event.ticket_id] = event.payload;
      const cell = document.querySelector('tr[data-ticket="' + CSS.escape(event.ticket_id) + '"] .progress-cell');
      if (cell) cell.replaceChildren(progressView(event.ticket_id, event.payload.stage, null));
      if (current === event.ticket_id) $("detail-progress").replaceChildren(progressView(event.ticket_id, event.payload.stage, null));
      return;
    }
    if (current === event.ticket_id) loadDetail(); else if (!current) loadQueue();
  };
}

function start() {
  show("queue");
  connect();
  route();
}

if (token) start(); else show("login");
</script>
</body>
</html>
"""#
}
