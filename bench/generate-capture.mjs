#!/usr/bin/env node
// Deterministic generator of the benchmark capture: a classic pcap (Ethernet, usec timestamps)
// of realistic LAN traffic: thousands of HTTP/1.1 connections to ports 80 and 8080 (handshakes,
// multi-segment responses, delayed ACKs, a few retransmissions and RSTs, FIN teardowns), DNS
// A/AAAA lookups with CNAMEs and NXDOMAINs, NTP, syslog, ARP, a fifth of it over IPv6.
// The same seed gives the same bytes; a smaller --packets gives a prefix of a larger run's
// packets (only where the capture stops differs), so the presets describe the same traffic.
//
// Usage: node bench/generate-capture.mjs [--preset 5m|1m|100k] [--packets N] [--seed S] [--out FILE]
//   default: --preset 5m (5,000,000 packets, ~1.2 GB) to bench/data/bench-5m.pcap, seed 1
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Content } from './lib/content.mjs';
import { dnsOnly } from './lib/dns.mjs';
import { httpConnection } from './lib/http.mjs';
import { arpExchange, ntpExchange, syslogBurst } from './lib/misc.mjs';
import { Network } from './lib/network.mjs';
import { Rng } from './lib/prng.mjs';
import { PcapOut } from './lib/wire.mjs';

export const PRESETS = {
  '5m': { packets: 5_000_000, file: 'bench-5m.pcap' },
  '1m': { packets: 1_000_000, file: 'bench-1m.pcap' },
  '100k': { packets: 100_000, file: 'bench-100k.pcap' },
};
const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** 2023-11-14 22:13:20 UTC: a fixed start, so the output does not depend on when it is run. */
const START_SEC = 1_700_000_000;
/** Sessions in progress at once; their packets interleave. */
const CONCURRENT = 64;
/** Mean time between packets on the wire, usec. */
const MEAN_GAP_US = 40;

/** Which session starts when one ends, by weight. */
const MIX = [
  [34, httpConnection],
  [90, dnsOnly],
  [20, syslogBurst],
  [6, ntpExchange],
  [3, arpExchange],
];

/**
 * Writes a capture of exactly `packets` packets to `sink` (which must consume or copy each chunk
 * before returning). Returns the number of bytes written.
 * @param {{packets: number, seed: number, sink: (chunk: Buffer) => void}} opts
 */
export function generate({ packets, seed, sink }) {
  const rng = new Rng(seed);
  const net = new Network(rng);
  const content = new Content(rng);
  const out = new PcapOut(sink, START_SEC);
  const weights = MIX.map(([w]) => w);
  const start = () => MIX[rng.weighted(weights)][1](net, out, rng, content);
  const sessions = Array.from({ length: CONCURRENT }, start);
  /** Capture time (usec) before which each session has nothing to send. */
  const wake = new Float64Array(CONCURRENT);
  const now = () => out.sec * 1e6 + out.usec;

  while (out.packets < packets) {
    out.advance(rng.exp(MEAN_GAP_US));
    const t = now();
    // A random session among those ready; if none is, skip to the earliest one.
    let i = rng.int(0, CONCURRENT - 1);
    let tries = 0;
    while (wake[i] > t && tries < CONCURRENT) {
      i = (i + 1) % CONCURRENT;
      tries++;
    }
    if (tries === CONCURRENT) {
      let earliest = 0;
      for (let j = 1; j < CONCURRENT; j++) if (wake[j] < wake[earliest]) earliest = j;
      out.advance(wake[earliest] - t);
      i = earliest;
    }
    const r = sessions[i].next();
    if (r.done) {
      sessions[i] = start();
      wake[i] = 0;
    } else {
      wake[i] = now() + (r.value ?? 0);
    }
  }
  out.flush();
  return out.bytes + 24;
}

function parseArgs(argv) {
  const opts = { preset: '5m', packets: undefined, seed: 1, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--preset' && v in PRESETS) opts.preset = v;
    else if (a === '--packets' && /^\d+$/.test(v ?? '')) opts.packets = Number(v);
    else if (a === '--seed' && /^\d+$/.test(v ?? '')) opts.seed = Number(v);
    else if (a === '--out' && v) opts.out = v;
    else {
      console.error(`generate-capture: bad argument ${a}${v === undefined ? '' : ` ${v}`}`);
      console.error('usage: node bench/generate-capture.mjs [--preset 5m|1m|100k] [--packets N] [--seed S] [--out FILE]');
      process.exit(2);
    }
    i++;
  }
  const preset = PRESETS[opts.preset];
  const packets = opts.packets ?? preset.packets;
  const custom = opts.packets !== undefined || opts.seed !== 1;
  const out = opts.out ?? join(DATA_DIR, custom ? `bench-${packets}-seed${opts.seed}.pcap` : preset.file);
  return { packets, seed: opts.seed, out };
}

function main() {
  const { packets, seed, out } = parseArgs(process.argv.slice(2));
  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, 'w');
  const t0 = process.hrtime.bigint();
  const bytes = generate({
    packets,
    seed,
    sink: (chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
    },
  });
  closeSync(fd);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`${out}: ${packets} packets, ${bytes} bytes (${(bytes / 1e6).toFixed(1)} MB), seed ${seed}, ${s.toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
