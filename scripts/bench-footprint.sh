#!/usr/bin/env bash
# Footprint of the NAS binary (dist/downloader2), one run: its size, the time from start to healthy, the
# idle RSS 3 s after healthy (anonymous and file-backed), RSS with 1,000 queued tickets, the peak RSS of
# converting a 12-track album on all cores; and qbittorrent-nox's idle RSS measured in the same run as the
# reference (DHT, LSD, UPnP, NAT-PMP off, loopback only). Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$(pwd)/dist/downloader2}
source scripts/bench-lib.sh
bench_setup footprint

mib() { echo "scale=1; $1 / 1024" | bc; }
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }   # a /proc/PID/status figure, in KiB

port=$(free_port)
token=footprint-bench-token
mkdir -p "$work/data" "$work/media"
service_config "$port" "$token" "$work/media"

size=$(stat -c %s "$BIN")
t0=$(now)
"$BIN" serve --config "$work/config.toml" > "$work/serve.log" 2>&1 &
server=$!; pids+=($server)
wait_http "http://127.0.0.1:$port/api/v1/health"
t1=$(now)
healthy=$(echo "$t1 - $t0" | bc)
sleep 3
idle=$(field $server VmRSS); idle_anon=$(field $server RssAnon); idle_file=$(field $server RssFile); threads=$(field $server Threads)
sleep 30
later=$(field $server VmRSS); later_anon=$(field $server RssAnon); later_file=$(field $server RssFile)
# Woken: what the trimmed pages cost back when the API is used (health, lists, stats, the admin page).
for _ in $(seq 20); do
  for path in health tickets stats; do curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/$path" -o /dev/null; done
  curl -fs "http://127.0.0.1:$port/" -o /dev/null || true
done
woken=$(field $server VmRSS); woken_anon=$(field $server RssAnon); woken_file=$(field $server RssFile)

# 1,000 tickets queued: everything paused first, so they stay pending.
curl -fs -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/pause" -o /dev/null
python3 - "$port" "$token" "$work/media" <<'PY'
import http.client, json, sys
port, token, media = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port)
for n in range(1000):
    ticket = {
        "ticket_id": f"footprint-{n:04d}",
        "search": {"artist": f"Artist {n}", "album": f"Album {n}", "year": 2000 + n % 20},
        "tracks": [{"catalog_track_id": f"t{n}-{i}", "track_number": i, "name": f"Track {i}", "duration_secs": 200 + i,
                    "dest_path": f"{media}/{n:04d}/{i:02d}.ogg"} for i in range(1, 13)],
        "constraints": {"format": "ogg_vorbis", "bitrate_kbps": 320},
    }
    conn.request("POST", "/api/v1/ticket", body=json.dumps(ticket), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status not in (200, 201):
        sys.exit(f"ticket {n}: HTTP {response.status}")
PY
sleep 3
queued=$(field $server VmRSS); queued_peak=$(field $server VmHWM)
kill -TERM "$server"; wait "$server" 2>/dev/null || true

# A 12-track album converted on all cores (the converter the service uses, through the CLI).
for i in $(seq -w 1 12); do
  ffmpeg -v error -y -f lavfi -i "anoisesrc=d=40:c=pink:r=44100:a=0.3:seed=$i" -ac 2 -c:a flac "$work/track$i.flac"
done
mkdir -p "$work/album"
/usr/bin/time -f '%M %e' -o "$work/convert.time" "$BIN" convert --no-remux --format ogg_vorbis --bitrate 320 --output-dir "$work/album" "$work"/track*.flac > /dev/null
read -r convert_peak convert_secs < "$work/convert.time"

# The reference: qbittorrent-nox at rest.
qport=$(free_port); qbt_listen=$(free_port)
mkdir -p "$work/qbt/qBittorrent/config"
cat > "$work/qbt/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true
[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\Port=$qbt_listen
[Preferences]
Connection\\UPnP=false
WebUI\\Address=127.0.0.1
WebUI\\Port=$qport
WebUI\\LocalHostAuth=false
CONF
t0=$(now)
qbittorrent-nox --profile="$work/qbt" --webui-port="$qport" > "$work/qbt.log" 2>&1 &
qbt=$!; pids+=($qbt)
wait_http "http://127.0.0.1:$qport/api/v2/app/version" || { cat "$work/qbt.log"; exit 1; }
t1=$(now)
q_healthy=$(echo "$t1 - $t0" | bc)
sleep 3
q_idle=$(field $qbt VmRSS); q_anon=$(field $qbt RssAnon); q_file=$(field $qbt RssFile); q_threads=$(field $qbt Threads)
q_version=$(qbittorrent-nox --version 2>/dev/null | head -1)
kill -TERM "$qbt"; wait "$qbt" 2>/dev/null || true

echo "footprint of dist/downloader2 ($(nproc) cores), beside $q_version in the same run:"
printf '  %-44s %10s\n' "binary size (stripped, static Swift runtime)" "$(echo "scale=1; $size / 1048576" | bc) MiB"
printf '  %-44s %8.2f s   (qbittorrent-nox: %.2f s to its Web API)\n' "start to healthy" "$healthy" "$q_healthy"
printf '  %-44s %6s MiB   (anonymous %s, file-backed %s; %s threads)   goal ≤ 32\n' "idle RSS, 3 s after healthy" "$(mib "$idle")" "$(mib "$idle_anon")" "$(mib "$idle_file")" "$threads"
printf '  %-44s %6s MiB   (anonymous %s, file-backed %s)\n' "idle RSS, 33 s after healthy" "$(mib "$later")" "$(mib "$later_anon")" "$(mib "$later_file")"
printf '  %-44s %6s MiB   (anonymous %s, file-backed %s)\n' "RSS after 80 API requests then (pages back)" "$(mib "$woken")" "$(mib "$woken_anon")" "$(mib "$woken_file")"
printf '  %-44s %6s MiB   (anonymous %s, file-backed %s; %s threads)\n' "qbittorrent-nox idle RSS (reference)" "$(mib "$q_idle")" "$(mib "$q_anon")" "$(mib "$q_file")" "$q_threads"
printf '  %-44s %6s MiB   (peak %s MiB)\n' "RSS with 1,000 queued tickets" "$(mib "$queued")" "$(mib "$queued_peak")"
printf '  %-44s %6s MiB   (%s s for 12 × 40 s)\n' "peak RSS converting a 12-track album" "$(mib "$convert_peak")" "$convert_secs"
