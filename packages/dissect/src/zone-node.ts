/**
 * The local zone on Node: offsets from the runtime (zone.ts), abbreviations from the TZif
 * file the C library reads (`$TZ` under /usr/share/zoneinfo, else /etc/localtime), so they are
 * tshark's (`JST`, `CEST`, `-03`). A zone without changes is read from the file alone, which
 * keeps the common case (a server on UTC) free of the runtime scan.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ZoneSpec } from './types.js';
import { zoneFromRuntime } from './zone.js';

/** What a TZif file tells about a zone. */
export interface TzInfo {
  /** The abbreviation of the offset `offset` in force at `seconds` (UTC), if the file names it. */
  nameAt(seconds: number, offset: number): string | undefined;
  /** One offset for all time (no transitions, no daylight saving rule). */
  fixed: { offset: number; name: string } | undefined;
}

let cached: { tz: string | undefined; zone: ZoneSpec } | undefined;

/**
 * This machine's local zone for `Config.zone`, as tshark would show it (worked out once per
 * process and `TZ`: a zone with daylight saving time takes a few ms).
 */
export function localZone(): ZoneSpec {
  const tz = process.env['TZ'];
  if (!cached || cached.tz !== tz) cached = { tz, zone: zoneOf(tz, new Date()) };
  return cached.zone;
}

function zoneOf(tz: string | undefined, now: Date): ZoneSpec {
  // POSIX: an empty TZ is UTC; a leading ':' is implementation-defined (a file name here).
  if (tz === '') return { offsetSeconds: 0, name: 'UTC' };
  const info = readTzif(tzFile(tz));
  if (info?.fixed) return { offsetSeconds: info.fixed.offset, name: info.fixed.name };
  // No file at all: the C library's default is UTC, as the runtime's is.
  if (!info && tz === undefined) return { offsetSeconds: 0, name: 'UTC' };
  if (info) return zoneFromRuntime(now, (at, offset) => info.nameAt(at, offset));
  // A TZ that names no file may be a POSIX rule itself (`JST-9`, `CET-1CEST,M3.5.0,M10.5.0/3`).
  // The runtime ignores such rules, so only one without daylight saving time is taken here.
  const only = posixRule(tz ?? '')?.only;
  return only ? { offsetSeconds: only.offset, name: only.name } : zoneFromRuntime(now);
}

function tzFile(tz: string | undefined): string {
  if (tz === undefined) return '/etc/localtime';
  const name = tz.replace(/^:/, '');
  // As glibc: relative to TZDIR, else the system's zone directory.
  return isAbsolute(name) ? name : join(process.env['TZDIR'] || '/usr/share/zoneinfo', name);
}

/** Abbreviations of a TZif file (RFC 8536); undefined when it cannot be read. */
export function readTzif(path: string): TzInfo | undefined {
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch {
    return undefined;
  }
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const counts = (at: number) => [20, 24, 28, 32, 36, 40].map((o) => b.readUInt32BE(at + o)) as [number, number, number, number, number, number];
  let [isut, isstd, leap, time, type, chars] = counts(0);
  let at = 44;
  let timeSize = 4;
  if (b[4]! >= 0x32) {
    // Version 2+: skip the 32-bit block for the 64-bit one, which the footer follows.
    at += time * 4 + time + type * 6 + chars + leap * 8 + isstd + isut;
    if (b.length < at + 44) return undefined;
    [isut, isstd, leap, time, type, chars] = counts(at);
    at += 44;
    timeSize = 8;
  }
  const indexAt = at + time * timeSize;
  const typesAt = indexAt + time;
  const charsAt = typesAt + type * 6;
  const end = charsAt + chars + leap * (timeSize + 4) + isstd + isut;
  if (b.length < end || type === 0) return undefined;
  const typeOf = (i: number) => {
    const o = typesAt + i * 6;
    const from = charsAt + b[o + 5]!;
    const zero = b.indexOf(0, from);
    return { offset: b.readInt32BE(o), name: b.toString('latin1', from, zero < 0 || zero > charsAt + chars ? charsAt + chars : zero) };
  };
  const times = Array.from({ length: time }, (_, k) => (timeSize === 8 ? Number(b.readBigInt64BE(at + k * 8)) : b.readInt32BE(at + k * 4)));
  const rule = timeSize === 8 ? posixRule(b.toString('latin1', end).split('\n')[1] ?? '') : undefined;
  // Any type naming an offset, the later ones (in the order transitions use them) first.
  const byOffset = new Map<number, string>();
  for (const t of [...Array.from({ length: type }, (_, i) => typeOf(i)), ...Array.from({ length: time }, (_, k) => typeOf(b[indexAt + k]!))]) {
    byOffset.set(t.offset, t.name);
  }
  const nameAt = (seconds: number, offset: number): string | undefined => {
    // The transition in force, if it has this offset; past the last one, the POSIX rule's.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= seconds) lo = mid + 1;
      else hi = mid;
    }
    const current = lo > 0 ? typeOf(b[indexAt + lo - 1]!) : undefined;
    const ruled = lo === times.length ? rule?.names.find(([o]) => o === offset)?.[1] : undefined;
    return ruled ?? (current?.offset === offset ? current.name : undefined) ?? byOffset.get(offset);
  };
  let fixed: TzInfo['fixed'];
  if (time === 0 && rule) fixed = rule.only;
  else if (time === 0 && type === 1) fixed = typeOf(0);
  return { nameAt, fixed };
}

/**
 * The zone names of a POSIX TZ rule (`GMT0BST,M3.5.0/1,M10.5.0`, `<-03>3`, `JST-9`): standard
 * and, if any, daylight time, with their offsets east of UTC (POSIX counts west); `only`
 * when there is no daylight time.
 */
export function posixRule(rule: string): { names: [number, string][]; only: { offset: number; name: string } | undefined } | undefined {
  const m = /^(<[^>]*>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d{1,2}){0,2})(?:(<[^>]*>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d{1,2}){0,2})?)?(?:,|$)/.exec(rule);
  if (!m) return undefined;
  const strip = (n: string) => n.replace(/^<(.*)>$/, '$1');
  const west = (s: string) => {
    const [h = 0, mi = 0, se = 0] = s.replace(/^[+-]/, '').split(':').map(Number);
    return (s.startsWith('-') ? -1 : 1) * (h * 3600 + mi * 60 + se);
  };
  const std = 0 - west(m[2]!);
  const names: [number, string][] = [[std, strip(m[1]!)]];
  if (m[3]) names.push([m[4] ? 0 - west(m[4]) : std + 3600, strip(m[3])]);
  return { names, only: names.length === 1 ? { offset: names[0]![0], name: names[0]![1] } : undefined };
}
