// DNS over UDP 53 for the capture generator: A and AAAA queries to the router, answered with
// CNAME chains, several addresses, or NXDOMAIN. Names are compressed as resolvers do.
import { MISSING_NAMES, OTHER_NAMES, nameHash } from './network.mjs';
import { writeUdp } from './wire.mjs';

export const TYPE_A = 1;
export const TYPE_CNAME = 5;
export const TYPE_AAAA = 28;
const CLASS_IN = 1;
const HEADER = 12;

/** Messages are built here and copied into the capture at once (never across a yield). */
const scratch = Buffer.alloc(1500);

/** Writes `name` as DNS labels at `at`; returns the end offset. */
function writeName(b, at, name) {
  for (const label of name.split('.')) {
    b[at++] = label.length;
    at += b.write(label, at, 'latin1');
  }
  b[at++] = 0;
  return at;
}

function writeHeader(b, id, flags, qd, an) {
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  b.writeUInt16BE(qd, 4);
  b.writeUInt16BE(an, 6);
  b.writeUInt32BE(0, 8); // no authority or additional records
}

/** Query section at offset 12; returns the end offset. */
function writeQuestion(b, name, qtype) {
  let at = writeName(b, HEADER, name);
  b.writeUInt16BE(qtype, at);
  b.writeUInt16BE(CLASS_IN, at + 2);
  return at + 4;
}

/** A resource record whose owner name is the compression pointer `owner`; returns the end. */
function writeRecord(b, at, owner, type, ttl, rdata) {
  b.writeUInt16BE(0xc000 | owner, at);
  b.writeUInt16BE(type, at + 2);
  b.writeUInt16BE(CLASS_IN, at + 4);
  b.writeUInt32BE(ttl, at + 6);
  const rd = at + 12;
  const end = rdata(rd);
  b.writeUInt16BE(end - rd, at + 10);
  return end;
}

/** The `i`th address of `base` (v4: 4 bytes, v6: 16 bytes), written at `at`. */
function writeAddress(b, at, base, i) {
  base.copy(b, at);
  b[at + base.length - 1] = (base[base.length - 1] + i) & 0xff;
  return at + base.length;
}

/** What the resolver knows about a name: its CNAME target, addresses, or that it is missing. */
export function resolve(net, name, qtype) {
  const v6 = qtype === TYPE_AAAA;
  const site = net.sites.find((s) => s.name === name);
  if (site) {
    if (v6 && !site.v6) return { cname: site.cname, base: null, count: 0 };
    return { cname: site.cname, base: v6 ? site.host6.ip : site.host4.ip, count: 1 };
  }
  const other = OTHER_NAMES.find((o) => o.name === name);
  if (!other) return null;
  const h = nameHash(name);
  const base = v6
    ? Buffer.from([0x20, 0x01, 0x0d, 0xb8, 0, 2, (h >> 8) & 0xff, h & 0xff, 0, 0, 0, 0, 0, 0, 0, 0x10])
    : Buffer.from([192, 0, 2, 1 + (h % 200)]);
  return { cname: other.cname, base, count: other.addresses };
}

/**
 * One lookup: the query, the resolver's think time, the response (one packet per step).
 * @param {import('./network.mjs').Network} net
 * @param {import('./wire.mjs').PcapOut} out
 * @param {import('./prng.mjs').Rng} rng
 */
export function* dnsLookup(net, out, rng, client, name, qtype) {
  const resolver = client.v6 ? net.resolver6 : net.resolver4;
  const sport = rng.int(1024, 65535);
  const id = rng.u32() & 0xffff;
  const ipId = rng.u32() & 0xffff;
  writeHeader(scratch, id, 0x0100, 1, 0); // standard query, recursion desired
  writeUdp(out, client, resolver, sport, 53, 64, ipId, scratch, writeQuestion(scratch, name, qtype));
  // Cached answers come back in well under a millisecond, recursive ones take tens.
  yield rng.chance(0.7) ? rng.int(200, 900) : rng.int(8000, 60000);

  const known = resolve(net, name, qtype);
  let at = writeQuestion(scratch, name, qtype);
  let answers = 0;
  if (known) {
    let owner = HEADER;
    if (known.cname) {
      const target = known.cname;
      const ttl = rng.int(60, 3600);
      let targetAt = 0;
      at = writeRecord(scratch, at, owner, TYPE_CNAME, ttl, (rd) => {
        targetAt = rd;
        return writeName(scratch, rd, target);
      });
      owner = targetAt;
      answers++;
    }
    const ttl = rng.int(20, 300);
    for (let i = 0; i < known.count; i++) {
      at = writeRecord(scratch, at, owner, qtype, ttl, (rd) => writeAddress(scratch, rd, known.base, i));
      answers++;
    }
  }
  writeHeader(scratch, id, known ? 0x8180 : 0x8183, 1, answers); // NOERROR / NXDOMAIN
  writeUdp(out, resolver, client, 53, sport, 64, ipId ^ 0x5a5a, scratch, at);
  yield 0;
}

/** A lookup that is not followed by a connection: other services, and some missing names. */
export function* dnsOnly(net, out, rng) {
  const v6 = rng.chance(0.15);
  const client = rng.pick(v6 ? net.clients6 : net.clients4);
  const name = rng.chance(0.06) ? rng.pick(MISSING_NAMES) : rng.pick(OTHER_NAMES).name;
  // Dual-stack clients ask for both families; the IPv6-only path asks AAAA.
  const qtype = v6 || rng.chance(0.35) ? TYPE_AAAA : TYPE_A;
  yield* dnsLookup(net, out, rng, client, name, qtype);
}
