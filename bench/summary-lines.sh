#!/usr/bin/env bash
# Default summary lines (`-r FILE`), reef-cli vs tshark, on the same generated capture; prints
# wall time, throughput, peak RSS and the ratio, with `cat FILE > /dev/null` as the floor.
# Usage: bash bench/summary-lines.sh [connections=20000]   (10 packets per connection)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/bench/data"
f="$root/bench/data/ping-x${1:-20000}.pcap"
[ -f "$f" ] || node "$root/bench/make-capture.mjs" "$f" "${1:-20000}"
size=$(stat -c %s "$f")
packets=$(( $(stat -c %s "$f") > 0 ? ${1:-20000} * 10 : 0 ))

run() { # name command...: prints "seconds peak_kb"
  local t0 t1 tf
  tf=$(mktemp)
  t0=$(date +%s.%N)
  /usr/bin/time -o "$tf" -f '%M' "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | awk '{print $1 - $3}') $(tail -1 "$tf")"
  rm -f "$tf"
}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
read -r cat_s _ < <(run cat "$f")
read -r reef_s reef_kb < <(run node "$root/apps/cli/bin/reef-cli.js" -r "$f")
read -r tshark_s tshark_kb < <(run tshark -n -r "$f")
# Same output, or the comparison means nothing.
cmp -s <(node "$root/apps/cli/bin/reef-cli.js" -r "$f") <(tshark -n -r "$f" 2>/dev/null) && same=identical || same=DIFFERENT
awk -v size="$size" -v p="$packets" -v c="$cat_s" -v r="$reef_s" -v t="$tshark_s" -v rk="$reef_kb" -v tk="$tshark_kb" -v same="$same" 'BEGIN {
  printf "capture: %d packets, %.1f MB\n", p, size / 1e6
  printf "%-8s %8.2f s %10.0f pkt/s %8.1f MB/s %8.0f MB RSS\n", "cat", c, p / c, size / 1e6 / c, 0
  printf "%-8s %8.2f s %10.0f pkt/s %8.1f MB/s %8.0f MB RSS\n", "reef-cli", r, p / r, size / 1e6 / r, rk / 1024
  printf "%-8s %8.2f s %10.0f pkt/s %8.1f MB/s %8.0f MB RSS\n", "tshark", t, p / t, size / 1e6 / t, tk / 1024
  printf "ratio: reef-cli is %.1fx tshark (outputs %s)\n", t / r, same
}'
