// The simulated network the generated capture was "taken" on: a LAN of dual-stack clients
// behind one router, remote web sites (documentation address ranges only), the router as DNS
// resolver, NTP servers and a syslog collector on the LAN.
import { Host, ipv4, ipv6, mac } from './wire.mjs';

const ROUTER_MAC = mac([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]);
const CLIENTS_V4 = 240;
const CLIENTS_V6 = 80;
const EPHEMERAL_LO = 32768;
const EPHEMERAL_HI = 60999;

/**
 * Web sites: what they serve decides the request paths and response bodies (see http.mjs).
 * `cname`: the name DNS answers with a CNAME to, as CDNs do. `v6`: reachable over IPv6 too.
 */
const SITES = [
  { name: 'www.example.com', kind: 'page', port: 80, weight: 14, v6: true, cname: 'www.example.com.edge.example.net' },
  { name: 'news.example.org', kind: 'page', port: 80, weight: 8, v6: true },
  { name: 'shop.example.net', kind: 'page', port: 80, weight: 6, v6: false },
  { name: 'wiki.corp.example', kind: 'page', port: 8080, weight: 5, v6: false },
  { name: 'static.example.com', kind: 'static', port: 80, weight: 16, v6: true, cname: 'static.cdn.example.net' },
  { name: 'assets.example.org', kind: 'static', port: 8080, weight: 6, v6: false },
  { name: 'api.example.com', kind: 'api', port: 8080, weight: 18, v6: true },
  { name: 'metrics.corp.example', kind: 'api', port: 8080, weight: 10, v6: false },
  { name: 'events.example.net', kind: 'api', port: 80, weight: 8, v6: true },
  { name: 'downloads.example.org', kind: 'download', port: 80, weight: 0.06, v6: true, cname: 'mirror1.example.org' },
  { name: 'repo.corp.example', kind: 'download', port: 8080, weight: 0.04, v6: false },
];

/** Names looked up without a web request following (mail, updates, telemetry...). */
export const OTHER_NAMES = [
  { name: 'mail.example.com', addresses: 2 },
  { name: 'imap.example.com', addresses: 1 },
  { name: 'time.example.org', addresses: 4 },
  { name: 'update.example.net', addresses: 3, cname: 'update.cdn.example.net' },
  { name: 'telemetry.example.com', addresses: 2 },
  { name: 'login.example.net', addresses: 2, cname: 'login.geo.example.net' },
  { name: 'fonts.example.org', addresses: 4, cname: 'fonts.cdn.example.net' },
  { name: 'chat.example.com', addresses: 1 },
  { name: 'vpn.corp.example', addresses: 1 },
  { name: 'printer3.corp.example', addresses: 1 },
];

/** Names that do not exist (NXDOMAIN), as browsers and OSes keep asking. */
export const MISSING_NAMES = ['wpad.corp.example', 'isatap.corp.example', 'www.exmaple.com', 'api.example.con'];

export class Network {
  /** @param {import('./prng.mjs').Rng} rng */
  constructor(rng) {
    this.resolver4 = new Host(ROUTER_MAC, ipv4(10, 1, 0, 1));
    this.resolver6 = new Host(ROUTER_MAC, ipv6([0x2001, 0xdb8, 1, 0, 0, 0, 0, 1]));
    this.ntpServers = [new Host(ROUTER_MAC, ipv4(198, 51, 100, 123)), new Host(ROUTER_MAC, ipv4(198, 51, 100, 124))];
    this.syslog = new Host(mac([0x02, 0x00, 0x0a, 0x01, 0x00, 0x0a]), ipv4(10, 1, 0, 10));
    this.router4 = this.resolver4;
    /** @type {Host[]} */
    this.clients4 = [];
    /** @type {Host[]} */
    this.clients6 = [];
    for (let i = 0; i < CLIENTS_V4; i++) {
      const m = mac([0x02, 0x00, 0x0a, 0x01, (i >> 8) & 0xff, i & 0xff]);
      this.clients4.push(new Host(m, ipv4(10, 1, 1 + Math.floor(i / 200), 20 + (i % 200))));
      if (i < CLIENTS_V6) this.clients6.push(new Host(m, ipv6([0x2001, 0xdb8, 1, 0, 0, 0, 0x1000, 0x20 + i])));
    }
    // Each client hands out its ephemeral ports in order from a random start, so no 4-tuple is
    // reused within a capture of a few million packets (tshark would flag port reuse).
    this.nextPort = new Map();
    for (const c of [...this.clients4, ...this.clients6]) this.nextPort.set(c, rng.int(EPHEMERAL_LO, EPHEMERAL_HI));
    this.sites = SITES.map((s, i) => ({
      ...s,
      host4: new Host(ROUTER_MAC, i % 2 ? ipv4(203, 0, 113, 10 + i) : ipv4(198, 51, 100, 10 + i)),
      host6: new Host(ROUTER_MAC, ipv6([0x2001, 0xdb8, 0x100, i, 0, 0, 0, 0x80])),
    }));
    this.siteWeights = SITES.map((s) => s.weight);
  }

  /** The next ephemeral port of `client`. */
  clientPort(client) {
    const p = this.nextPort.get(client);
    this.nextPort.set(client, p >= EPHEMERAL_HI ? EPHEMERAL_LO : p + 1);
    return p;
  }
}

/** A stable pseudo-address for a name that is not one of the sites (FNV-1a of the name). */
export function nameHash(name) {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
