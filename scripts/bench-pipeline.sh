#!/usr/bin/env bash
# The whole ticket (issue "Performance at the limit"): a generated 12-track FLAC album seeded on loopback
# by aria2c with its upload limited to 8 MiB/s (a home line), listed on a fixture indexer (Jackett's API).
# The reference, in the same run: aria2c fetches the album, then ffmpeg converts it to Ogg Vorbis 320
# two tracks at a time. Then the real binary: `downloader2 serve`, one ticket for the album, followed
# until it completes. Prints both times, the ratio, and where downloader2's time went (from the ticket's
# states, polled every 50 ms). Everything stays on 127.0.0.1 with DHT, LSD, UPnP and NAT-PMP off.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-./.build-dist/release/downloader2}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TRACKS=${TRACKS:-12}
SECONDS_PER_TRACK=${SECONDS_PER_TRACK:-75}
LIMIT=${LIMIT:-8M}
source scripts/bench-lib.sh
bench_setup pipeline
chmod 755 "$work"   # opentracker drops to user nobody, who must read the whitelist

echo "== generating a ${TRACKS}-track FLAC album (${SECONDS_PER_TRACK} s each, pink noise, 44.1 kHz stereo)"
album="$work/seed/Bench Ensemble - Pipeline Album (2024) [FLAC]"
mkdir -p "$album"
for i in $(seq -w 1 "$TRACKS"); do
  ffmpeg -v error -f lavfi -i "anoisesrc=d=$SECONDS_PER_TRACK:c=pink:r=44100:a=0.3:seed=$((10#$i))" -ac 2 -c:a flac "$album/$i - Track $i.flac"
done
album_bytes=$(du -sb "$album" | cut -f1)
echo "   $(echo "scale=1; $album_bytes / 1000000" | bc) MB of FLAC"

tracker_port=$(free_port)
"$BIN" torrent create "$album" --v1-only --tracker "http://127.0.0.1:$tracker_port/announce" -o "$work/album.torrent" --json > "$work/create.json"
hash=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["info_hash_v1"])' "$work/create.json")
echo "$hash" > "$work/whitelist"; chmod 644 "$work/whitelist"
printf 'listen.tcp_udp 127.0.0.1:%s\naccess.whitelist %s\n' "$tracker_port" "$work/whitelist" > "$work/opentracker.conf"
(cd "$work" && exec opentracker -f "$work/opentracker.conf") > "$work/opentracker.log" 2>&1 &
pids+=($!)

loopback_only=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --disable-ipv6=true)
aria2c --interface=127.0.0.1 --dir="$work/seed" -V --seed-ratio=0.0 --max-overall-upload-limit="$LIMIT" --listen-port="$(free_port)" \
  "${loopback_only[@]}" --summary-interval=0 --console-log-level=warn "$work/album.torrent" > "$work/aria-seed.log" 2>&1 &
pids+=($!)
wait_seeds "$tracker_port" "$hash"
echo "== seeder: aria2c, upload limited to $LIMIT/s"

# The reference: aria2c, then ffmpeg two at a time.
t0=$(now)
aria2c --interface=127.0.0.1 --dir="$work/reference" --seed-time=0 --listen-port="$(free_port)" "${loopback_only[@]}" \
  --summary-interval=0 --console-log-level=warn "$work/album.torrent" > "$work/aria-get.log" 2>&1
t1=$(now)
mkdir -p "$work/reference-out"
find "$work/reference" -name '*.flac' -print0 | xargs -0 -P 2 -I{} sh -c \
  'ffmpeg -v error -y -i "$1" -c:a libvorbis -b:a 320k "$2/$(basename "$1" .flac).ogg"' _ {} "$work/reference-out"
t2=$(now)
ref_download=$(echo "$t1 - $t0" | bc); ref_convert=$(echo "$t2 - $t1" | bc); ref_total=$(echo "$t2 - $t0" | bc)
[ "$(find "$work/reference-out" -name '*.ogg' | wc -l)" = "$TRACKS" ] || { echo "the reference made the wrong number of files"; exit 1; }
printf '   reference: aria2c %.2f s, then ffmpeg (2 at a time) %.2f s: %.2f s\n' "$ref_download" "$ref_convert" "$ref_total"

# The fixture indexer.
index_port=$(free_port)
mkdir -p "$work/indexer/api/v2.0/indexers/all" "$work/indexer/dl"
cp "$work/album.torrent" "$work/indexer/dl/album.torrent"
cat > "$work/indexer/api/v2.0/indexers/all/results" <<JSON
{"Results":[{"Title":"Bench Ensemble - Pipeline Album (2024) [FLAC]","Tracker":"bench","Link":"http://127.0.0.1:$index_port/dl/album.torrent",
 "InfoHash":"$hash","Size":$album_bytes,"Seeders":1,"Peers":1}],"Indexers":[{"ID":"bench","Name":"bench","Status":2}]}
JSON
python3 -m http.server "$index_port" --bind 127.0.0.1 --directory "$work/indexer" > "$work/indexer.log" 2>&1 &
pids+=($!)

port=$(free_port); token=pipeline-bench-token
mkdir -p "$work/data" "$work/media"
service_config "$port" "$token" "$work/media" "[jackett]
url = \"http://127.0.0.1:$index_port\"
api_key = \"bench\""
"$BIN" serve --config "$work/config.toml" > "$work/serve.log" 2>&1 &
server=$!; pids+=($server)
wait_http "http://127.0.0.1:$port/api/v1/health"

python3 - "$port" "$token" "$work" "$TRACKS" "$SECONDS_PER_TRACK" "$ref_total" "$ref_download" <<'PY'
import http.client, json, os, sys, time
port, token, work, tracks, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ref_total, ref_download = float(sys.argv[6]), float(sys.argv[7])
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
ticket = {
    "ticket_id": "pipeline-bench",
    "search": {"artist": "Bench Ensemble", "album": "Pipeline Album", "year": 2024},
    "tracks": [{"catalog_track_id": f"t{i}", "disc_number": 1, "track_number": i, "name": f"Track {i:02d}", "duration_secs": seconds,
                "dest_path": f"{work}/media/Bench Ensemble/Pipeline Album/{i:02d} Track {i:02d}.ogg"} for i in range(1, tracks + 1)],
    "constraints": {"format": "ogg_vorbis", "bitrate_kbps": 320, "embed_metadata": True},
    "metadata_to_embed": {"artist": "Bench Ensemble", "album": "Pipeline Album", "album_artist": "Bench Ensemble", "year": 2024},
}
conn = http.client.HTTPConnection("127.0.0.1", port)
start = time.monotonic()
conn.request("POST", "/api/v1/ticket", body=json.dumps(ticket), headers=headers)
response = conn.getresponse(); response.read()
if response.status not in (200, 201, 202):
    sys.exit(f"POST /ticket: HTTP {response.status}")
seen = {}          # state -> first time it was seen
last_state = None
while True:
    conn.request("GET", "/api/v1/ticket/pipeline-bench", headers=headers)
    response = conn.getresponse(); body = json.loads(response.read())
    now = time.monotonic() - start
    state = body.get("state")
    if state != last_state:
        seen.setdefault(state, now); last_state = state
    if state in ("completed", "failed", "needs_approval", "cancelled"):
        break
    if now > 900:
        sys.exit("the ticket did not finish within 900 s")
    time.sleep(0.05)
total = time.monotonic() - start
if state != "completed":
    sys.exit(f"the ticket ended in {state}: {json.dumps(body)[:2000]}")
placed = [p for p in (t["dest_path"] for t in ticket["tracks"]) if os.path.exists(p)]
if len(placed) != tracks:
    sys.exit(f"{len(placed)} of {tracks} tracks placed")
order = sorted(seen.items(), key=lambda kv: kv[1])
print(f"   downloader2: ticket completed in {total:.2f} s; states first seen at " + ", ".join(f"{s} {t:.2f} s" for s, t in order))
def at(name): return seen.get(name)
download_start = at("downloading"); conversion_start = at("converting"); placing = at("placing")
def span(a, b): return f"{b - a:.2f} s" if a is not None and b is not None else "n/a"
print(f"   where the time went: search and metadata {span(0.0, download_start)}, download (state downloading) {span(download_start, conversion_start or placing)}, "
      f"conversion after the download's state ended {span(conversion_start, placing or total)}, placement and completion {span(placing, total)}")
print(f"pipeline: downloader2 {total:.2f} s, aria2c + ffmpeg (2 at a time) {ref_total:.2f} s (of which the download alone {ref_download:.2f} s): "
      f"ratio {total / ref_total:.2f} (goal ≤ 0.75)")
PY
