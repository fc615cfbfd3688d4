#!/usr/bin/env bash
# `make demo`: downloader2 at work in about a minute, offline, on this machine only. It generates an
# album, shares it from a local seeder through a local tracker (opentracker), lists it on a fixture
# indexer that speaks Jackett's API, starts the service, submits a ticket, follows it to the end and
# shows the placed files. Everything binds to 127.0.0.1 with DHT, LSD, UPnP and NAT-PMP off.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.build-dist/release/downloader2"
work=$(mktemp -d /tmp/downloader2-demo-XXXXXX)
chmod 755 "$work"   # opentracker drops to 'nobody' and must read its whitelist
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "(logs and files of this run: $work)"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The seeder (downloader2 torrent add) reads [torrent] from these; the service gets them from its file.
offline=(DOWNLOADER2_TORRENT_LISTEN_INTERFACES=127.0.0.1:0 DOWNLOADER2_TORRENT_ENABLE_DHT=false DOWNLOADER2_TORRENT_ENABLE_LSD=false
         DOWNLOADER2_TORRENT_ENABLE_UPNP=false DOWNLOADER2_TORRENT_ENABLE_NATPMP=false)

echo "1/6  generating an album: 3 tracks of tones as FLAC, plus a cover"
album="$work/seed/Tone Ensemble - Sine Waves (2024) [FLAC]"
mkdir -p "$album"
names=("First Light" "Second Wind" "Third Eye"); tones=(330 495 660)
for i in 0 1 2; do
  ffmpeg -v error -f lavfi -i "sine=f=${tones[$i]}:d=30:r=44100" -ac 2 -c:a flac "$album/0$((i + 1)) - ${names[$i]}.flac"
done
ffmpeg -v error -f lavfi -i "color=c=orange:s=500x500" -frames:v 1 "$album/front.jpg"

echo "2/6  a local tracker (opentracker) and a seeder (downloader2 torrent add --seed)"
tracker_port=$(free_port)
"$BIN" torrent create "$album" --tracker "http://127.0.0.1:$tracker_port/announce" -o "$work/album.torrent" > /dev/null
read -r hash1 hash2 < <("$BIN" torrent info "$work/album.torrent" --json |
  python3 -c 'import json, sys; t = json.load(sys.stdin); print(t["info_hash_v1"], (t.get("info_hash_v2") or "")[:40])')
printf '%s\n%s\n' "$hash1" "$hash2" > "$work/whitelist"; chmod 644 "$work/whitelist"
printf 'listen.tcp_udp 127.0.0.1:%s\naccess.whitelist %s\n' "$tracker_port" "$work/whitelist" > "$work/opentracker.conf"
opentracker -f "$work/opentracker.conf" > "$work/opentracker.log" 2>&1 & pids+=($!)
scrape="http://127.0.0.1:$tracker_port/scrape?info_hash=$(python3 -c 'import sys; h = sys.argv[1]; print("".join("%" + h[i:i + 2] for i in range(0, 40, 2)))' "$hash1")"
for _ in $(seq 1 50); do curl -s "$scrape" > /dev/null && break; sleep 0.1; done
env "${offline[@]}" "$BIN" torrent add "$work/album.torrent" --dir "$work/seed" --seed > "$work/seeder.log" 2>&1 & pids+=($!)
# The service must find the seed on its first announce: wait until the tracker knows it.
for _ in $(seq 1 100); do curl -s "$scrape" | grep -aq "8:completei1e" && break; sleep 0.2; done

echo "3/6  a fixture indexer answering Jackett's results API"
index_port=$(free_port)
mkdir -p "$work/indexer/api/v2.0/indexers/all" "$work/indexer/dl"
cp "$work/album.torrent" "$work/indexer/dl/album.torrent"
size=$(du -sb "$album" | cut -f1)
cat > "$work/indexer/api/v2.0/indexers/all/results" <<JSON
{"Results":[{"Title":"Tone Ensemble - Sine Waves (2024) [FLAC]","Tracker":"demo","Link":"http://127.0.0.1:$index_port/dl/album.torrent",
 "InfoHash":"$hash1","Size":$size,"Seeders":1,"Peers":1}],"Indexers":[{"ID":"demo","Name":"demo","Status":2}]}
JSON
python3 -m http.server "$index_port" --bind 127.0.0.1 --directory "$work/indexer" > "$work/indexer.log" 2>&1 & pids+=($!)

echo "4/6  starting downloader2 serve"
port=$(free_port)
cat > "$work/downloader2.toml" <<TOML
[server]
host = "127.0.0.1"
port = $port
auth_token = "demo-token"
[database]
path = "$work/data/downloader2.db"
[jackett]
url = "http://127.0.0.1:$index_port"
api_key = "demo"
[torrent]
download_path = "$work/data/downloads"
listen_interfaces = "127.0.0.1:0"
enable_dht = false
enable_lsd = false
enable_upnp = false
enable_natpmp = false
[converter]
temp_dir = "$work/data/tmp"
[processing]
check_interval_secs = 1
[placer]
media_roots = ["$work/media"]
TOML
"$BIN" serve --config "$work/downloader2.toml" > "$work/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.2; done

echo "5/6  submitting a ticket (Ogg Vorbis 192, tags, cover) and following it"
tracks=""
for i in 0 1 2; do
  tracks+="{\"catalog_track_id\":\"demo-t$((i + 1))\",\"disc_number\":1,\"track_number\":$((i + 1)),\"name\":\"${names[$i]}\",\"duration_secs\":30,"
  tracks+="\"dest_path\":\"$work/media/Tone Ensemble/Sine Waves/0$((i + 1)) ${names[$i]}.ogg\"}"
  [ "$i" -lt 2 ] && tracks+=","
done
cat > "$work/ticket.json" <<JSON
{"ticket_id":"demo-1","search":{"artist":"Tone Ensemble","album":"Sine Waves","year":2024},"tracks":[$tracks],
 "images":[{"catalog_image_id":"demo-cover","type":"cover_front","dest_path":"$work/media/Tone Ensemble/Sine Waves/cover.jpg"}],
 "constraints":{"format":"ogg_vorbis","bitrate_kbps":192,"embed_metadata":true,"embed_cover":true},
 "metadata_to_embed":{"artist":"Tone Ensemble","album":"Sine Waves","album_artist":"Tone Ensemble","year":2024,"genre":"Demo"}}
JSON
"$BIN" submit --config "$work/downloader2.toml" "$work/ticket.json"
"$BIN" status demo-1 --follow --config "$work/downloader2.toml"

echo "6/6  the placed files, as downloader2 probe reads them"
find "$work/media" -type f | sort | while read -r file; do
  case "$file" in
    *.ogg) "$BIN" probe "$file" | python3 -c 'import json, sys; i = json.load(sys.stdin); t = i["tags"]
print("  %-60s %s %d Hz %.1f s  title=%s track=%s cover=%s" % (i["path"].split("/media/")[1], i["codec"], i["sample_rate"], i["duration_secs"], t.get("TITLE"), t.get("TRACKNUMBER") or t.get("track"), i["has_cover"]))' ;;
    *) echo "  ${file#"$work/media/"} ($(du -h "$file" | cut -f1))" ;;
  esac
done
