#!/usr/bin/env bash
# Display filters (-Y), reef-cli vs tshark, on the same generated capture: the three filters of
# issue 6 (`tcp.port==8080`, `http.request`, `ip.addr==10.0.0.0/8 && tcp.flags.syn==1`). Prints
# wall time per filter and the ratio, and checks that both print the same lines.
# Usage: bash bench/filters.sh [connections=20000]   (10 packets per connection; 500000 = 5M packets)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/bench/data"
n="${1:-20000}"
f="$root/bench/data/ping-x$n.pcap"
[ -f "$f" ] || node "$root/bench/make-capture.mjs" "$f" "$n"
echo "capture: $((n * 10)) packets, $(( $(stat -c %s "$f") / 1000000 )) MB"
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'; }
for filter in 'tcp.port==8080' 'http.request' 'ip.addr==10.0.0.0/8 && tcp.flags.syn==1'; do
  r=$(secs node "$root/apps/cli/bin/reef-cli.js" -r "$f" -Y "$filter")
  t=$(secs tshark -n -r "$f" -Y "$filter")
  cmp -s <(node "$root/apps/cli/bin/reef-cli.js" -r "$f" -Y "$filter") <(tshark -n -r "$f" -Y "$filter" 2>/dev/null) && same=identical || same=DIFFERENT
  awk -v f="$filter" -v r="$r" -v t="$t" -v s="$same" 'BEGIN { printf "%-42s reef-cli %6.2f s  tshark %6.2f s  reef/tshark speed %.2fx  (%s)\n", f, r, t, t / r, s }'
done
