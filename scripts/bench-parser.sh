#!/usr/bin/env bash
# Release-title parser speed, one run: the real corpus (Tests/ReleaseTitleCorpus) parsed by the
# release binary, titles per second, beside what the parser has to keep up with: one loopback HTTP
# round trip for an indexer answer of 100 results (curl against a local server, same run).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-./.build-dist/release/downloader2}
ROUNDS=${ROUNDS:-20}
work=$(mktemp -d /tmp/downloader2-parserbench-XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

tail -n +2 Tests/ReleaseTitleCorpus/corpus.tsv | cut -f1 > "$work/titles.txt"
n=$(wc -l < "$work/titles.txt")
echo "release-title parser, $n real titles × $ROUNDS rounds, one core:"
"$BIN" release parse --file "$work/titles.txt" --rounds 1 --timing 2>&1 >/dev/null | sed 's/^/  warm-up: /'
result=$("$BIN" release parse --file "$work/titles.txt" --rounds "$ROUNDS" --timing 2>&1 >/dev/null)
echo "  downloader2: $result"
per_title_us=$(echo "$result" | sed -E 's/.* ([0-9.]+) µs per title.*/\1/')

# The reference: fetching one indexer answer of 100 results over loopback.
{
  printf '<?xml version="1.0"?><rss><channel>'
  head -n 100 "$work/titles.txt" | sed 's/&/\&amp;/g; s/</\&lt;/g' | awk '{ printf "<item><title>%s</title><size>1</size></item>", $0 }'
  printf '</channel></rss>'
} > "$work/answer.xml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/answer.xml" -o /dev/null && break; sleep 0.1; done
best=""
for _ in $(seq 1 10); do
  t=$(curl -fs -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/answer.xml")
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
done
printf '  reference: one loopback HTTP GET of a 100-result Torznab answer (curl, best of 10): %.2f ms\n' "$(echo "$best * 1000" | bc -l)"
printf '  parsing those 100 titles: %.2f ms, %.1f %% of that round trip\n' \
  "$(echo "$per_title_us * 100 / 1000" | bc -l)" "$(echo "$per_title_us * 100 / 1000 / ($best * 1000) * 100" | bc -l)"
