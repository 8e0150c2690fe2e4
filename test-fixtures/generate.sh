#!/usr/bin/env bash
# Regenerates the committed capture fixtures from real loopback traffic. Needs root (tcpdump
# on lo), curl, node, editcap (wireshark-common) for the pcapng copies, and dig (installed from
# bind9-dnsutils when missing). `generate.sh NAME...` regenerates only the named captures
# (e.g. `generate.sh dns.pcap`); with no argument, all of them.
#
# What it records (all on lo, demo server = scripts/demo-server.mjs):
#   ping-http.pcap         curl http://127.0.0.1:8080/ping : 3-way handshake, GET, 200 "pong",
#                          FIN teardown (Ethernet, microseconds) - the seed walkthrough
#   ping-http.pcapng       the same packets as pcapng (editcap)
#   ping-http-ipv6.pcap    the same exchange over ::1, nanosecond timestamps
#   ping-http-sll.pcap     captured on `any` as Linux cooked v1
#   ping-http-sll2.pcap    captured on `any` as Linux cooked v2
#   ping-http-null.pcap    ping-http.pcap rewritten to BSD loopback, AF_INET (relink.mjs)
#   ping-http-null6.pcap   ping-http-ipv6.pcap rewritten to BSD loopback, AF_INET6 = 30 (macOS)
#   ping-http-raw.pcap     ping-http.pcap rewritten to LINKTYPE_RAW (relink.mjs)
#   udp-echo.pcap          three UDP datagrams and their echoes (node dgram)
#   dns.pcap               dig against test-fixtures/dns-server.mjs on 127.0.0.1:53: A, AAAA,
#                          CNAME, MX, TXT (several strings), NXDOMAIN over UDP with EDNS cookies,
#                          then A and TXT over TCP (length-prefixed, one connection each)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/captures"
port=${FIXTURE_PORT:-8080}
mkdir -p "$out"
[ "$(id -u)" = 0 ] || { echo "generate.sh: needs root for tcpdump on lo" >&2; exit 1; }
only=("$@")
# want FILE: whether FILE is to be (re)generated.
want() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }
if want dns.pcap && ! command -v dig >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bind9-dnsutils >/dev/null
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if curl -s "http://127.0.0.1:$port/ping" -o /dev/null; then
  echo "generate.sh: port $port is already in use; stop that server or set FIXTURE_PORT" >&2
  exit 1
fi
node "$root/scripts/demo-server.mjs" --port "$port" >/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/ping" -o /dev/null && break; sleep 0.1; done

# capture FILE IFACE [tcpdump options...] -- COMMAND...: records while COMMAND runs.
capture() {
  local file=$1 iface=$2; shift 2
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
  tcpdump -Z root --immediate-mode -i "$iface" -U -w "$file" "${opts[@]}" 2>"$file.log" &
  local tp=$!
  # tcpdump says "listening on" once the capture is armed.
  for _ in $(seq 100); do grep -q "listening on" "$file.log" 2>/dev/null && break; sleep 0.05; done
  sleep 0.2
  "$@"
  sleep 0.5
  kill -INT "$tp"; wait "$tp" || true
  grep -q "^0 packets captured" "$file.log" && { echo "generate.sh: nothing captured for $file:" >&2; cat "$file.log" >&2; exit 1; }
  rm -f "$file.log"
}

ping4() { curl -s "http://127.0.0.1:$port/ping" -o /dev/null; }
ping6() { curl -s -6 "http://[::1]:$port/ping" -o /dev/null; }

want ping-http.pcap && capture "$out/ping-http.pcap" lo "tcp port $port" -- ping4
want ping-http-ipv6.pcap && capture "$out/ping-http-ipv6.pcap" lo --time-stamp-precision=nano "tcp port $port" -- ping6
want ping-http-sll.pcap && capture "$out/ping-http-sll.pcap" any -y LINUX_SLL "tcp port $port" -- ping4
want ping-http-sll2.pcap && capture "$out/ping-http-sll2.pcap" any -y LINUX_SLL2 "tcp port $port" -- ping4
want udp-echo.pcap && capture "$out/udp-echo.pcap" lo "udp port 9999" -- node -e '
  const d = require("node:dgram");
  const srv = d.createSocket("udp4");
  srv.on("message", (m, r) => srv.send(m, r.port, r.address));
  srv.bind(9999, "127.0.0.1", () => {
    const c = d.createSocket("udp4");
    let n = 0;
    c.on("message", () => { if (++n === 3) { c.close(); srv.close(); } });
    for (const w of ["one", "two", "three"]) c.send(w, 9999, "127.0.0.1");
  });'

# dig_all: the DNS fixture's queries, one after another so the capture order is stable.
dig_all() {
  local d=(dig @127.0.0.1 +tries=1 +time=2)
  "${d[@]}" a.example A >/dev/null
  "${d[@]}" a.example AAAA >/dev/null
  "${d[@]}" www.example A >/dev/null
  "${d[@]}" a.example MX >/dev/null
  "${d[@]}" a.example TXT >/dev/null
  "${d[@]}" nope.example A >/dev/null
  "${d[@]}" +tcp a.example A >/dev/null
  "${d[@]}" +tcp a.example TXT >/dev/null
}
if want dns.pcap; then
  if dig @127.0.0.1 +tries=1 +time=1 a.example A >/dev/null 2>&1; then
    echo "generate.sh: something already answers DNS on 127.0.0.1:53; stop it first" >&2
    exit 1
  fi
  node "$here/dns-server.mjs" --port 53 --host 127.0.0.1 >"$out/dns-server.log" &
  pids+=($!)
  for _ in $(seq 50); do grep -q ready "$out/dns-server.log" 2>/dev/null && break; sleep 0.1; done
  rm -f "$out/dns-server.log"
  capture "$out/dns.pcap" lo "port 53" -- dig_all
fi

if want ping-http.pcap; then
  editcap -F pcapng "$out/ping-http.pcap" "$out/ping-http.pcapng"
  node "$here/relink.mjs" null "$out/ping-http.pcap" "$out/ping-http-null.pcap"
  node "$here/relink.mjs" raw "$out/ping-http.pcap" "$out/ping-http-raw.pcap"
fi
want ping-http-ipv6.pcap && node "$here/relink.mjs" null "$out/ping-http-ipv6.pcap" "$out/ping-http-null6.pcap"
for f in "$out"/*.pcap "$out"/*.pcapng; do printf '%-28s %6d bytes\n' "$(basename "$f")" "$(wc -c <"$f")"; done
