/**
 * Helpers for live-capture tests: a /ping server on a free loopback port (as
 * scripts/demo-server.mjs), a GET that closes its connection, and TCP segments decoded just
 * enough to check a handshake (Ethernet on lo, Linux cooked v1/v2 on any).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Live tests need root (or CAP_NET_RAW); CI runs as root. */
export const isRoot = process.getuid?.() === 0;
export const notRootReason = 'live capture tests need root (or CAP_NET_RAW on node); CI runs them as root';

export interface PingServer {
  port: number;
  close(): Promise<void>;
}

export async function startPingServer(): Promise<PingServer> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/ping') {
      // Headers and body in one end() call, with a length: one segment, as the demo server sends.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 4 });
      res.end('pong');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** GET /ping over a fresh connection that is closed afterwards; resolves with the body. */
export function getPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ping', agent: false, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Segment {
  srcPort: number;
  dstPort: number;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  payload: string;
}

/** The TCP segment in an IPv4 frame of link type 1 (Ethernet), 113 (SLL) or 276 (SLL2). */
export function tcpSegment(linkType: number, b: Uint8Array): Segment | undefined {
  const l2 = linkType === 1 ? 14 : linkType === 113 ? 16 : linkType === 276 ? 20 : -1;
  if (l2 < 0 || b.length < l2 + 20) return undefined;
  const etherType = linkType === 276 ? (b[0]! << 8) | b[1]! : (b[l2 - 2]! << 8) | b[l2 - 1]!;
  if (etherType !== 0x0800 || b[l2 + 9] !== 6) return undefined;
  const ip = l2;
  const ipLen = (b[ip]! & 0x0f) * 4;
  const total = (b[ip + 2]! << 8) | b[ip + 3]!;
  const t = ip + ipLen;
  const flags = b[t + 13]!;
  const dataOff = (b[t + 12]! >> 4) * 4;
  return {
    srcPort: (b[t]! << 8) | b[t + 1]!,
    dstPort: (b[t + 2]! << 8) | b[t + 3]!,
    syn: (flags & 0x02) !== 0,
    ack: (flags & 0x10) !== 0,
    fin: (flags & 0x01) !== 0,
    payload: Buffer.from(b.subarray(t + dataOff, ip + total)).toString('latin1'),
  };
}

/** What a whole /ping exchange must show: the handshake, the request and the pong. */
export function pingExchange(segments: Segment[], port: number) {
  const toServer = segments.filter((s) => s.dstPort === port);
  const fromServer = segments.filter((s) => s.srcPort === port);
  return {
    syn: toServer.some((s) => s.syn && !s.ack),
    synAck: fromServer.some((s) => s.syn && s.ack),
    ack: toServer.some((s) => !s.syn && s.ack && s.payload === ''),
    request: toServer.some((s) => s.payload.startsWith('GET /ping HTTP/1.1\r\n')),
    pong: fromServer.some((s) => s.payload.startsWith('HTTP/1.1 200 OK\r\n') && s.payload.endsWith('\r\n\r\npong')),
  };
}

export const wholeExchange = { syn: true, synAck: true, ack: true, request: true, pong: true };
