# Helpers the benchmark scripts share; sourced, not run. Everything they start stays on 127.0.0.1.

# A scratch folder in $work, and the processes in $pids stopped (and the folder removed) on exit.
bench_setup() {  # name
  work=$(mktemp -d "/tmp/downloader2-$1-XXXXXX")
  pids=()
  trap 'bench_stop; rm -rf "$work"' EXIT
}
# Stops what the benchmark started: SIGTERM, then up to 15 s to exit. One that is still running
# (a service that does not shut down under load) is named and killed, never left behind.
bench_stop() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then
      echo "process $p ($(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-80)) did not stop within 15 s of SIGTERM; killed" >&2
      kill -9 "$p" 2>/dev/null || true
    fi
  done
}
# Two independent pink-noise channels as FLAC 44.1 kHz: encoders work as hard as on music (a sine is too easy).
pink_noise_flac() {  # seconds out
  ffmpeg -v error -y -filter_complex \
    "anoisesrc=d=$1:c=pink:r=44100:a=0.3:seed=$RANDOM[a];anoisesrc=d=$1:c=pink:r=44100:a=0.3:seed=$RANDOM[b];[a][b]amerge=inputs=2" \
    -c:a flac "$2"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
wait_http() {  # url: until it answers 200, at most 60 s
  for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1"; return 1
}
# Until opentracker on port $1 counts $3 (default 1) complete peers of info-hash $2; at most 120 s.
wait_seeds() {  # tracker_port info_hash [count]
  local escaped
  escaped=$(echo "$2" | sed 's/../%&/g')
  for _ in $(seq 1 600); do
    curl -s "http://127.0.0.1:$1/scrape?info_hash=$escaped" | grep -q "8:completei${3:-1}e" && return 0
    sleep 0.2
  done
  echo "opentracker never counted ${3:-1} seed(s) of $2:"; tail -5 "$work"/*.log; return 1
}
# A `serve` configuration on loopback with DHT, LSD, UPnP and NAT-PMP off, written to $work/config.toml.
service_config() {  # port token media_root [extra TOML]
  cat > "$work/config.toml" <<TOML
[server]
host = "127.0.0.1"
port = $1
auth_token = "$2"
[database]
path = "$work/data/db.sqlite"
[torrent]
download_path = "$work/data/downloads"
listen_interfaces = "127.0.0.1:0"
enable_dht = false
enable_lsd = false
enable_upnp = false
enable_natpmp = false
[converter]
temp_dir = "$work/data/tmp"
[placer]
media_roots = ["$3"]
${4:-}
TOML
}
