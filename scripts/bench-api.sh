#!/usr/bin/env bash
# The API under load, one run: wrk (32 connections, 2 threads, 10 s each) against the release binary for
# GET /api/v1/ticket/{id} (a ticket with its event history), GET /api/v1/tickets, GET /api/v1/health and
# POST /api/v1/ticket (a new ticket per request, durable). Prints req/s and the p99 latency beside the goals.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$(pwd)/.build-dist/release/downloader2}
DURATION=${DURATION:-10s}
source scripts/bench-lib.sh
bench_setup apibench

port=$(free_port); token=api-bench-token
service_config "$port" "$token" /srv/bench-media "$(printf '[processing]\nretry_max_attempts = 3\nretry_initial_delay_secs = 1\nretry_max_delay_secs = 1\n[wanted]\nenabled = false')"
"$BIN" serve --config "$work/config.toml" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.1; done

ticket() {  # id: a 12-track ticket
  python3 -c '
import json, sys
n = sys.argv[1]
print(json.dumps({"ticket_id": n, "search": {"artist": "Radiohead", "album": "OK Computer " + n, "year": 1997},
  "tracks": [{"catalog_track_id": f"{n}-{i}", "track_number": i, "name": f"Track {i}", "duration_secs": 240, "dest_path": f"/srv/bench-media/{n}/{i:02d}.ogg"} for i in range(1, 13)],
  "constraints": {"format": "ogg_vorbis", "bitrate_kbps": 320}}))' "$1"
}
# A ticket with a history: no indexer is configured, so its searches fail and are retried until it fails.
ticket history > "$work/history.json"
curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data @"$work/history.json" "http://127.0.0.1:$port/api/v1/ticket" -o /dev/null
for i in $(seq 1 200); do ticket "filler-$i"; done | while read -r line; do
  curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data "$line" "http://127.0.0.1:$port/api/v1/ticket" -o /dev/null
done
for _ in $(seq 1 100); do
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ticket/history" | grep -q '"state":"failed"' && break
  sleep 0.2
done
events=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ticket/history" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(len(t.get("history") or t.get("events") or []))')

cat > "$work/post.lua" <<'LUA'
local counter = 0
local template = [[{"ticket_id":"wrk-%d-%d","search":{"artist":"Radiohead","album":"Kid A"},"tracks":[{"catalog_track_id":"t1","track_number":1,"name":"Everything","dest_path":"/srv/bench-media/wrk/%d-%d.ogg"}],"constraints":{"format":"ogg_vorbis"}}]]
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/ticket", nil, string.format(template, tid, counter, tid, counter))
end
LUA

run() {  # name, goal, path, extra wrk args…
  local name=$1 goal=$2 path=$3; shift 3
  wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@" "http://127.0.0.1:$port$path" > "$work/wrk.out"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.out")
  p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.out")
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/wrk.out" | tr -s ' ' | paste -sd ';' - || true)
  printf '  %-40s %10s req/s   p99 %8s   goal %s %s\n' "$name" "$rps" "$p99" "$goal" "${errors:+($errors)}"
}
echo "the API under wrk -t2 -c32 -d$DURATION ($(nproc) cores), release binary, SQLite in $work:"
run "GET /ticket/{id} ($events events)" "≥ 5 k req/s, p99 ≤ 20 ms" /api/v1/ticket/history
run "GET /tickets?limit=50" "—" "/api/v1/tickets?limit=50"
run "GET /tickets?limit=1" "—" "/api/v1/tickets?limit=1"
run "GET /health" "—" /api/v1/health
# The same with the queue paused: what submission alone costs. Unpaused, every new ticket is also claimed and
# searched at once, and with no indexer here each search fails and is retried: several durable writes per
# ticket in the background, far more than a service whose searches take seconds ever makes per second.
curl -fs -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/pause" -o /dev/null
run "POST /ticket (durable, queue paused)" "≥ 2 k req/s" /api/v1/ticket -s "$work/post.lua"
curl -fs -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/resume" -o /dev/null
run "POST /ticket (durable, queue working through the above)" "—" /api/v1/ticket -s "$work/post.lua"
