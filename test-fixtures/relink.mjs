#!/usr/bin/env node
// Rewrites an Ethernet pcap into another link type, keeping every packet's bytes above the
// link layer and its timestamps: `null` (BSD loopback, AF_INET=2 / AF_INET6=30 as macOS
// writes, little-endian) or `raw` (LINKTYPE_RAW). Real loopback traffic in the link types a
// Linux `lo` cannot produce.
// Usage: node relink.mjs null|raw in.pcap out.pcap
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, input, output] = process.argv.slice(2);
const src = readFileSync(input);
const magic = src.readUInt32LE(0);
if ((magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) || src.readUInt32LE(20) !== 1) {
  throw new Error(`${input}: expected a little-endian Ethernet pcap`);
}
const header = Buffer.from(src.subarray(0, 24));
header.writeUInt32LE(mode === 'null' ? 0 : 101, 20);
const parts = [header];
for (let at = 24; at + 16 <= src.length; ) {
  const caplen = src.readUInt32LE(at + 8);
  const origlen = src.readUInt32LE(at + 12);
  const frame = src.subarray(at + 16, at + 16 + caplen);
  const ethertype = frame.readUInt16BE(12);
  const payload = frame.subarray(14);
  const link = Buffer.alloc(mode === 'null' ? 4 : 0);
  if (mode === 'null') link.writeUInt32LE(ethertype === 0x86dd ? 30 : 2, 0);
  const rec = Buffer.alloc(16);
  src.copy(rec, 0, at, at + 8);
  rec.writeUInt32LE(link.length + payload.length, 8);
  rec.writeUInt32LE(origlen - 14 + link.length, 12);
  parts.push(rec, link, payload);
  at += 16 + caplen;
}
writeFileSync(output, Buffer.concat(parts));
