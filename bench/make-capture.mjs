#!/usr/bin/env node
// Builds a larger pcap for benchmarks by replaying the /ping fixture's TCP connection N times,
// each copy on its own client port and later in time (so every copy is its own stream).
// Usage: node bench/make-capture.mjs OUT.pcap [connections=20000]
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';

const [out, n = '20000'] = process.argv.slice(2);
const src = readFileSync(new URL('../test-fixtures/captures/ping-http.pcap', import.meta.url));
const records = [];
for (let at = 24; at + 16 <= src.length; ) {
  const caplen = src.readUInt32LE(at + 8);
  records.push(src.subarray(at, at + 16 + caplen));
  at += 16 + caplen;
}
const clientPort = records[0].readUInt16BE(16 + 34);
const fd = openSync(out, 'w');
writeSync(fd, src.subarray(0, 24));
const chunk = [];
for (let c = 0; c < Number(n); c++) {
  const port = 10000 + (c % 50000);
  for (const r of records) {
    const copy = Buffer.from(r);
    copy.writeUInt32LE(r.readUInt32LE(0) + Math.floor(c / 100), 0);
    for (const off of [16 + 34, 16 + 36]) if (copy.readUInt16BE(off) === clientPort) copy.writeUInt16BE(port, off);
    chunk.push(copy);
  }
  if (chunk.length > 10000) writeSync(fd, Buffer.concat(chunk.splice(0)));
}
writeSync(fd, Buffer.concat(chunk));
closeSync(fd);
