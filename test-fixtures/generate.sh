#!/usr/bin/env bash
# Regenerates the committed capture fixtures from real loopback traffic. Needs root (tcpdump
# on lo), curl, node, editcap (wireshark-common) for the pcapng copies, dig and ping (installed
# from bind9-dnsutils and iputils-ping when missing), and ip (iproute2) for network namespaces.
# `generate.sh NAME...` regenerates only the named captures (e.g. `generate.sh dns.pcap`); with
# no argument, all of them.
#
# What it records (on lo unless said otherwise, demo server = scripts/demo-server.mjs):
#   ping-http.pcap         curl http://127.0.0.1:8080/ping : 3-way handshake, GET, 200 "pong",
#                          FIN teardown (Ethernet, microseconds) - the seed walkthrough
#   ping-http.pcapng       the same packets as pcapng (editcap)
#   ping-http-ipv6.pcap    the same exchange over ::1, nanosecond timestamps
#   ping-http-sll.pcap     captured on `any` as Linux cooked v1
#   ping-http-sll2.pcap    captured on `any` as Linux cooked v2
#   ping-http-null.pcap    ping-http.pcap rewritten to BSD loopback, AF_INET (relink.mjs)
#   ping-http-null6.pcap   ping-http-ipv6.pcap rewritten to BSD loopback, AF_INET6 = 30 (macOS)
#   ping-http-raw.pcap     ping-http.pcap rewritten to LINKTYPE_RAW (relink.mjs)
#   http-segmented.pcap    curl fetching /big twice over one keep-alive connection from a node
#                          server on port+2 that writes each response in pieces 40 ms apart
#                          (headers cut mid-line, a 6000-byte body in three writes): HTTP
#                          reassembled across TCP segments, requests matched to responses
#   udp-echo.pcap          three UDP datagrams and their echoes (node dgram)
#   icmp-ping.pcap         ping -c 3 127.0.0.1, ping -6 -c 3 ::1 (echo requests and replies), then
#                          a UDP datagram to closed port 9 on 127.0.0.1 and on ::1, answered by
#                          ICMP / ICMPv6 port unreachable quoting it
#   icmp-routed.pcap       on a veth between two network namespaces made here, host -> router ->
#                          far host (192.0.2.0/24, 198.51.100.0/24, 2001:db8:1::/64, 2001:db8:2::/64):
#                          duplicate address detection and router solicitations, neighbor
#                          solicitation/advertisement, pings through the router, pings with TTL /
#                          hop limit 1 (time exceeded from the router) and to a missing far host
#                          (host / address unreachable from the router, quoting the ping)
#   dns.pcap               dig against test-fixtures/dns-server.mjs on 127.0.0.1:53: A, AAAA,
#                          CNAME, MX, TXT (several strings), NXDOMAIN over UDP with EDNS cookies,
#                          then A and TXT over TCP (length-prefixed, one connection each)
#   tls12-443.pcap         curl -k --tls-max 1.2 to openssl s_server on port 443 (a TLS port):
#                          full TLS 1.2 handshake, Certificate, ECDHE key exchange, encrypted
#                          Finished, application data, encrypted close_notify alerts
#   tls13-4433.pcap        curl -k --tlsv1.3 to openssl s_server on port 4433 (no TLS port:
#                          found by TShark's heuristic), TLS 1.3 with middlebox-compat CCS
#   tls-alert.pcap         TLS 1.3-only ClientHello to a TLS 1.2-only server: plaintext fatal
#                          alert (Protocol Version)
#   tls-fragments.pcap     TLS 1.2 from s_server -max_send_frag 512 with an RSA-4096 certificate:
#                          Certificate and ServerKeyExchange split over several records of one
#                          segment (handshake reassembly across records)
#   quic-4443.pcap         ngtcp2's gtlsclient fetching a file from gtlsserver over QUIC v1 on
#                          UDP 4443 (Debian: apt-get install ngtcp2-client ngtcp2-server): client
#                          and server Initials (TShark decrypts them), coalesced Handshake and
#                          1-RTT packets, short headers
#   syslog-json.pcap       logger to UDP 514 (RFC 3164 and RFC 5424 headers, several facilities and
#                          levels), then an HTTP POST of a JSON document to a node server on
#                          port+1 answering with a JSON array (members, nesting, escapes,
#                          numbers, true/false/null)
# The TLS and QUIC servers use a throwaway self-signed P-256 certificate made for the run.
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
if { want icmp-ping.pcap || want icmp-routed.pcap; } && ! command -v ping >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iputils-ping >/dev/null
fi

pids=()
netns=(reef-fx-host reef-fx-router reef-fx-far)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for n in "${netns[@]}"; do ip netns del "$n" 2>/dev/null || true; done
}
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
# segmented_http: a server whose responses leave in several segments (TCP_NODELAY, pauses
# between writes), so that reading them needs TCP reassembly; curl asks twice on one connection.
segmented_http() {
  local p=$((port + 2))
  node -e '
    const body = Buffer.alloc(6000, "0123456789abcdef\n");
    const head = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`;
    const pieces = [head.slice(0, 30), head.slice(30), body.subarray(0, 2000), body.subarray(2000, 4000), body.subarray(4000)];
    const srv = require("node:net").createServer((c) => {
      c.setNoDelay(true);
      let pending = "";
      c.on("data", (d) => {
        pending += d;
        while (pending.includes("\r\n\r\n")) {
          pending = pending.slice(pending.indexOf("\r\n\r\n") + 4);
          pieces.forEach((piece, i) => setTimeout(() => c.write(piece), 40 * i));
        }
      });
    });
    srv.listen(Number(process.argv[1]), "127.0.0.1", () => console.log("ready"));
    setTimeout(() => srv.close(), 8000).unref();
  ' "$p" >"$out/segmented.log" &
  local srv=$!
  # Not a probe connection: it would be captured too.
  for _ in $(seq 50); do grep -q ready "$out/segmented.log" 2>/dev/null && break; sleep 0.1; done
  rm -f "$out/segmented.log"
  curl -s "http://127.0.0.1:$p/big" "http://127.0.0.1:$p/big" -o /dev/null -o /dev/null
  kill "$srv" 2>/dev/null || true
}
want http-segmented.pcap && capture "$out/http-segmented.pcap" lo "tcp port $((port + 2))" -- segmented_http
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
syslog_json() {
  logger --udp --server 127.0.0.1 --port 514 --rfc3164 -p local0.info -t nginx 'GET /status HTTP/1.1 200 447'
  logger --udp --server 127.0.0.1 --port 514 --rfc3164 -p auth.warning -t sshd 'Accepted publickey for deploy'
  logger --udp --server 127.0.0.1 --port 514 --rfc5424 -p daemon.err -t reef --msgid ID47 'disk 93% full'
  node -e '
    const http = require("node:http");
    const reply = JSON.stringify([{ id: 1, name: "caf\u00e9 \"quoted\"", score: -12.5e3, on: true, off: false, none: null, tags: ["a", []] }]);
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => { res.writeHead(200, { "Content-Type": "application/json" }); res.end(reply); });
    });
    srv.listen(Number(process.argv[1]), "127.0.0.1", () => {
      const body = JSON.stringify({ type: "view", ts: 1969542410, path: "/a/b", nested: { deep: [1, 2.5, { k: "v" }] } });
      const req = http.request({ host: "127.0.0.1", port: Number(process.argv[1]), method: "POST", path: "/api/v1/events",
        headers: { "Content-Type": "application/json", Connection: "close" } }, (res) => { res.resume(); res.on("end", () => srv.close()); });
      req.end(body);
    });' "$((port + 1))"
}
want syslog-json.pcap && capture "$out/syslog-json.pcap" lo "udp port 514 or tcp port $((port + 1))" -- syslog_json
pings() {
  ping -c 3 -i 0.2 127.0.0.1 >/dev/null
  ping -6 -c 3 -i 0.2 ::1 >/dev/null
  # Nothing listens on the discard port, so each datagram draws a port unreachable.
  node -e '
    const d = require("node:dgram");
    const s4 = d.createSocket("udp4"), s6 = d.createSocket("udp6");
    s4.send("closed?", 9, "127.0.0.1", () => s6.send("closed?", 9, "::1", () =>
      setTimeout(() => { s4.close(); s6.close(); }, 200)));'
}
want icmp-ping.pcap && capture "$out/icmp-ping.pcap" lo "icmp or icmp6 or udp port 9" -- pings

# host --veth-- router --veth-- far host, each in its own namespace; captured on the host's side.
routed() {
  local h=${netns[0]} r=${netns[1]} f=${netns[2]} file="$out/icmp-routed.pcap"
  for n in "${netns[@]}"; do ip netns del "$n" 2>/dev/null || true; ip netns add "$n"; ip -n "$n" link set lo up; done
  ip link add fxh type veth peer name fxr0
  ip link add fxr1 type veth peer name fxf
  ip link set fxh netns "$h"; ip link set fxr0 netns "$r"; ip link set fxr1 netns "$r"; ip link set fxf netns "$f"
  # Fixed MAC addresses keep link-local addresses and Info text the same on every run.
  ip -n "$h" link set fxh address 02:00:00:00:00:0a
  ip -n "$r" link set fxr0 address 02:00:00:00:00:01
  ip -n "$r" link set fxr1 address 02:00:00:00:00:02
  ip -n "$f" link set fxf address 02:00:00:00:00:0f
  ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip -n "$h" link set fxh up
  ip netns exec "$h" tcpdump -Z root --immediate-mode -i fxh -U -w "$file" "icmp or icmp6" 2>"$file.log" &
  local tp=$!
  for _ in $(seq 100); do grep -q "listening on" "$file.log" 2>/dev/null && break; sleep 0.05; done
  ip -n "$h" addr add 192.0.2.2/24 dev fxh; ip -n "$h" addr add 2001:db8:1::2/64 dev fxh
  ip -n "$r" addr add 192.0.2.1/24 dev fxr0; ip -n "$r" addr add 2001:db8:1::1/64 dev fxr0
  ip -n "$r" addr add 198.51.100.1/24 dev fxr1; ip -n "$r" addr add 2001:db8:2::1/64 dev fxr1
  ip -n "$f" addr add 198.51.100.2/24 dev fxf; ip -n "$f" addr add 2001:db8:2::2/64 dev fxf
  ip -n "$r" link set fxr0 up; ip -n "$r" link set fxr1 up; ip -n "$f" link set fxf up
  ip -n "$h" route add default via 192.0.2.1; ip -n "$h" -6 route add default via 2001:db8:1::1
  ip -n "$f" route add default via 198.51.100.1; ip -n "$f" -6 route add default via 2001:db8:2::1
  sleep 2.5 # duplicate address detection and router solicitations
  ip netns exec "$h" ping -c 2 -i 0.2 198.51.100.2 >/dev/null
  ip netns exec "$h" ping -6 -c 2 -i 0.2 2001:db8:2::2 >/dev/null
  ip netns exec "$h" ping -c 1 -t 1 198.51.100.2 >/dev/null || true
  ip netns exec "$h" ping -6 -c 1 -t 1 2001:db8:2::2 >/dev/null || true
  ip netns exec "$h" ping -c 1 -W 5 198.51.100.9 >/dev/null || true
  ip netns exec "$h" ping -6 -c 1 -W 5 2001:db8:2::9 >/dev/null || true
  sleep 0.5
  kill -INT "$tp"; wait "$tp" || true
  grep -q "^0 packets captured" "$file.log" && { echo "generate.sh: nothing captured for $file:" >&2; cat "$file.log" >&2; exit 1; }
  rm -f "$file.log"
  for n in "${netns[@]}"; do ip netns del "$n"; done
}
want icmp-routed.pcap && routed

tls_dir="$(mktemp -d)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=reef.test \
  -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" 2>/dev/null
# tls_server PORT [s_server options...]: an openssl s_server answering HTTP (-www) on 127.0.0.1.
tls_server() {
  local p=$1; shift
  openssl s_server -accept "127.0.0.1:$p" -cert "$tls_dir/cert.pem" -key "$tls_dir/key.pem" -www -quiet "$@" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.1; done
}
tls_port=${FIXTURE_TLS_PORT:-443}
want tls12-443.pcap && tls_server "$tls_port"
want tls13-4433.pcap && tls_server 4433
want tls-alert.pcap && tls_server 4434 -tls1_2
if want tls-fragments.pcap; then
  openssl req -x509 -newkey rsa:4096 -nodes -days 2 -subj /CN=frag.reef.test \
    -keyout "$tls_dir/rsa-key.pem" -out "$tls_dir/rsa-cert.pem" 2>/dev/null
  openssl s_server -accept 127.0.0.1:4435 -cert "$tls_dir/rsa-cert.pem" -key "$tls_dir/rsa-key.pem" -www -quiet \
    -max_send_frag 512 -tls1_2 >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/4435") 2>/dev/null && break; sleep 0.1; done
fi
want tls12-443.pcap && capture "$out/tls12-443.pcap" lo "tcp port $tls_port" -- curl -sk --tlsv1.2 --tls-max 1.2 "https://127.0.0.1:$tls_port/" -o /dev/null
want tls13-4433.pcap && capture "$out/tls13-4433.pcap" lo "tcp port 4433" -- curl -sk --tlsv1.3 https://127.0.0.1:4433/ -o /dev/null
want tls-fragments.pcap && capture "$out/tls-fragments.pcap" lo "tcp port 4435" -- curl -sk https://127.0.0.1:4435/ -o /dev/null
want tls-alert.pcap && capture "$out/tls-alert.pcap" lo "tcp port 4434" -- sh -c 'curl -sk --tlsv1.3 https://127.0.0.1:4434/ -o /dev/null || true'
if ! want quic-4443.pcap; then
  :
elif command -v gtlsserver >/dev/null && command -v gtlsclient >/dev/null; then
  mkdir -p "$tls_dir/htdocs" && echo "hello over QUIC" >"$tls_dir/htdocs/index.html"
  gtlsserver -q -d "$tls_dir/htdocs" 127.0.0.1 4443 "$tls_dir/key.pem" "$tls_dir/cert.pem" >/dev/null 2>&1 &
  pids+=($!)
  sleep 0.5
  capture "$out/quic-4443.pcap" lo "udp port 4443" -- \
    timeout 10 gtlsclient -q --exit-on-all-streams-close 127.0.0.1 4443 https://127.0.0.1:4443/index.html
else
  echo "generate.sh: gtlsserver/gtlsclient missing (apt-get install ngtcp2-client ngtcp2-server); quic-4443.pcap kept" >&2
fi
rm -rf "$tls_dir"

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
