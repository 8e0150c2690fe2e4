// HTTP/1.1 over TCP for the capture generator: a whole connection per session (optional DNS
// lookup, handshake, keep-alive request/response exchanges cut into MSS-sized segments with
// delayed ACKs, rare retransmissions, FIN or RST teardown, a few refused connections).
// Sessions write one packet per step and yield the delay (usec) before their next packet.
import { TYPE_A, TYPE_AAAA, dnsLookup } from './dns.mjs';
import { ACK, FIN, PSH, RST, SYN, writeTcp } from './wire.mjs';

const RETRANSMIT_P = 0.002;
const REFUSED_P = 0.015;
const LOOKUP_P = 0.35;
const QUICK_ACKS = 8;
const TAIL_MIN = 5;
const V6_P = 0.2;
const EMPTY = [];

/** MSS 1460, NOP, window scale 7, NOP, NOP, SACK permitted (a Linux-like SYN without timestamps). */
const SYN_OPTIONS = [Buffer.from([2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2]), Buffer.from([2, 4, 0x05, 0xa0, 1, 3, 3, 7, 1, 1, 4, 2])];
/** MSS, NOP, NOP, SACK permitted, NOP, window scale 7. */
const SYNACK_OPTIONS = [Buffer.from([2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7]), Buffer.from([2, 4, 0x05, 0xa0, 1, 1, 4, 2, 1, 3, 3, 7])];

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  'curl/7.88.1',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
];
const SERVERS = ['nginx/1.24.0', 'Apache/2.4.57 (Debian)', 'envoy', 'gunicorn'];
const WORDS = ['news', 'sports', 'items', 'users', 'orders', 'search', 'weather', 'metrics', 'tools', 'docs'];

/** One TCP connection: both directions' endpoint data and next sequence numbers. */
class TcpConn {
  constructor(out, rng, client, server, cport, sport) {
    this.out = out;
    this.rng = rng;
    this.v6 = client.v6;
    this.mss = client.v6 ? 1440 : 1460;
    const ttl = rng.pick([47, 52, 55, 57, 58, 116, 120]);
    this.e = [
      { src: client, dst: server, sport: cport, dport: sport, ttl: 64, ipId: rng.u32(), win: 64240 },
      { src: server, dst: client, sport, dport: cport, ttl, ipId: rng.u32(), win: 65160 },
    ];
    this.seq = [rng.u32(), rng.u32()];
  }

  /** Sends from side `d` (0 client, 1 server), acknowledging all the other side sent so far. */
  send(d, flags, parts = EMPTY, off = 0, len = 0, options = null) {
    this.resend(d, flags, this.seq[d], parts, off, len, options);
    this.seq[d] = (this.seq[d] + len + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
  }

  /** Sends with an explicit sequence number (a retransmission) without advancing it. */
  resend(d, flags, seq, parts, off, len, options = null) {
    const e = this.e[d];
    writeTcp(this.out, e, flags, seq, this.seq[1 - d], options, parts, off, len);
    // IPv4 IDs count up per packet; for IPv6 the same value is the flow label, fixed per flow.
    if (!this.v6) e.ipId = (e.ipId + 1) & 0xffff;
  }
}

/**
 * Sends a message of `total` bytes from side `d` in MSS-sized segments (PSH on the last); the
 * receiver ACKs every second segment. `after` is the delay following the last segment.
 */
function* sendMessage(c, d, parts, total, after) {
  const rng = c.rng;
  let unacked = 0;
  let seg = 0;
  for (let off = 0; off < total; ) {
    let len = Math.min(c.mss, total - off);
    // Leave the last segment at least the 5 bytes of a chunked body's end ("0\r\n\r\n"):
    // tshark 4.0 calls a chunked response malformed when its final LF arrives alone.
    const rest = total - off - len;
    if (rest > 0 && rest < TAIL_MIN) len -= TAIL_MIN - rest;
    const at = off;
    off += len;
    const last = off >= total;
    const flags = last ? ACK | PSH : ACK;
    const seq = c.seq[d];
    c.send(d, flags, parts, at, len);
    if (rng.chance(RETRANSMIT_P)) {
      yield rng.int(200_000, 450_000); // retransmission timeout
      c.resend(d, flags, seq, parts, at, len);
    }
    if (last) {
      yield after;
      return unacked + 1;
    }
    yield rng.int(5, 300);
    // Quick ACKs (every segment) at the start of a transfer, then delayed ACKs (every second).
    if (++unacked === 2 || seg++ < QUICK_ACKS) {
      c.send(1 - d, ACK);
      unacked = 0;
      yield rng.int(5, 300);
    }
  }
  return unacked;
}

function headerBlock(lines) {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** What a client asks a site of this kind, and what the server answers: message parts. */
function exchange(site, content, rng, date) {
  const host = site.port === 80 ? site.name : `${site.name}:${site.port}`;
  const ua = rng.pick(USER_AGENTS);
  const server = rng.pick(SERVERS);
  let method = 'GET';
  let path = '/';
  let reqBody = null;
  let status = '200 OK';
  let type = null;
  let body = null;
  let chunked = false;
  let conditional = false;
  const extra = [];
  const kind = site.kind;
  const r = rng.float();
  if (kind === 'page') {
    path = rng.pick(['/', '/index.html', `/articles/${rng.int(1000, 99999)}.html`, `/search?q=${rng.pick(WORDS)}+${rng.pick(WORDS)}`, `/${rng.pick(WORDS)}/`]);
    if (r < 0.08) conditional = true;
    else if (r < 0.11) [status, type, body] = ['404 Not Found', 'text/html', content.text(content.html, rng.int(150, 600))];
    else if (r < 0.13) [status, type, body] = ['301 Moved Permanently', 'text/html', content.text(content.html, rng.int(150, 300))];
    else [type, body, chunked] = ['text/html; charset=utf-8', content.text(content.html, rng.logInt(300, 8000)), rng.chance(0.2)];
    if (status.startsWith('301')) extra.push(`Location: http://${host}${path}${path.endsWith('/') ? '' : '/'}`);
  } else if (kind === 'static') {
    const js = rng.chance(0.6);
    path = `/assets/${rng.pick(WORDS)}.${rng.u32().toString(16).padStart(8, '0')}.${js ? 'js' : 'css'}`;
    if (r < 0.5) conditional = true;
    else [type, body] = [js ? 'application/javascript' : 'text/css', content.text(content.code, rng.logInt(200, 12_000))];
    extra.push('Cache-Control: public, max-age=31536000');
  } else if (kind === 'api') {
    if (r < 0.3) {
      method = 'POST';
      path = `/api/v1/events`;
      reqBody = content.event(rng.logInt(80, 9000));
      [status, type, body] = ['201 Created', 'application/json', Buffer.from(`{"id":${rng.int(1, 1e9)},"status":"queued"}`)];
    } else {
      path = `/api/v1/${rng.pick(WORDS)}?page=${rng.int(1, 50)}&limit=${rng.pick([10, 20, 50, 100])}`;
      if (r < 0.34) [status, type, body] = ['404 Not Found', 'application/json', Buffer.from('{"error":"not found"}')];
      else [type, body] = ['application/json', content.json(rng.logInt(40, 2000))];
    }
  } else {
    path = `/pub/${rng.pick(WORDS)}/${rng.pick(WORDS)}-${rng.int(1, 9)}.${rng.int(0, 30)}.${rng.int(0, 9)}.tar.gz`;
    [type, body] = ['application/octet-stream', content.bytes(rng.logInt(20_000, 1_000_000))];
  }
  if (conditional) status = '304 Not Modified';

  const req = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, `User-Agent: ${ua}`, 'Accept: */*', 'Connection: keep-alive'];
  if (conditional) req.push(`If-None-Match: "${rng.u32().toString(16)}"`);
  if (reqBody) req.push('Content-Type: application/json', `Content-Length: ${reqBody.length}`);
  const reqParts = reqBody ? [headerBlock(req), reqBody] : [headerBlock(req)];

  const res = [`HTTP/1.1 ${status}`, `Date: ${date}`, `Server: ${server}`];
  if (type) res.push(`Content-Type: ${type}`);
  const resParts = [];
  if (body && chunked) {
    res.push('Transfer-Encoding: chunked');
    for (let at = 0; at < body.length; ) {
      const n = Math.min(body.length - at, rng.int(2000, 8192));
      resParts.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
      at += n;
    }
    resParts.push(Buffer.from('0\r\n\r\n'));
  } else if (body) {
    res.push(`Content-Length: ${body.length}`);
    resParts.push(body);
  }
  res.push(...extra, 'Connection: keep-alive');
  resParts.unshift(headerBlock(res));
  return { reqParts, resParts, think: kind === 'api' ? rng.int(2000, 60_000) : rng.int(200, 15_000) };
}

const total = (parts) => parts.reduce((n, p) => n + p.length, 0);

/**
 * One client's connection to a web site, from the DNS lookup to the teardown.
 * @param {import('./network.mjs').Network} net
 * @param {import('./wire.mjs').PcapOut} out
 * @param {import('./prng.mjs').Rng} rng
 * @param {import('./content.mjs').Content} content
 */
export function* httpConnection(net, out, rng, content) {
  const site = net.sites[rng.weighted(net.siteWeights)];
  const v6 = site.v6 && rng.chance(V6_P);
  const client = rng.pick(v6 ? net.clients6 : net.clients4);
  if (rng.chance(LOOKUP_P)) yield* dnsLookup(net, out, rng, client, site.name, v6 ? TYPE_AAAA : TYPE_A);

  const c = new TcpConn(out, rng, client, v6 ? site.host6 : site.host4, net.clientPort(client), site.port);
  const rtt = rng.int(1500, 80_000);
  const fam = v6 ? 1 : 0;
  c.send(0, SYN, EMPTY, 0, 0, SYN_OPTIONS[fam]);
  yield rtt / 2;
  if (rng.chance(REFUSED_P)) {
    c.send(1, RST | ACK);
    yield 0;
    return;
  }
  c.send(1, SYN | ACK, EMPTY, 0, 0, SYNACK_OPTIONS[fam]);
  yield rtt / 2;
  c.e[0].win = rng.int(250, 2053); // scaled by 2^7 from here on
  c.e[1].win = rng.int(250, 509);
  c.send(0, ACK);
  yield rng.int(10, 400);

  const requests = site.kind === 'download' ? 1 : rng.int(1, site.kind === 'api' ? 3 : 2);
  for (let i = 0; i < requests; i++) {
    const date = new Date(out.sec * 1000).toUTCString();
    const { reqParts, resParts, think } = exchange(site, content, rng, date);
    yield* sendMessage(c, 0, reqParts, total(reqParts), rtt / 2 + think);
    const unacked = yield* sendMessage(c, 1, resParts, total(resParts), rtt / 2);
    if (unacked > 0) {
      c.send(0, ACK);
      yield rng.int(1000, 200_000); // the client reads, then maybe asks again
    }
  }

  const end = rng.float();
  if (end < 0.06) {
    c.send(0, RST | ACK); // the client gave up on the connection
    yield 0;
  } else {
    const first = end < 0.18 ? 1 : 0; // keep-alive timeouts: the server closes first
    c.send(first, FIN | ACK);
    yield rtt / 2;
    c.send(1 - first, FIN | ACK);
    yield rtt / 2;
    c.send(first, ACK);
    yield 0;
  }
}
