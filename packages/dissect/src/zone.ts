/**
 * The local time zone, as tshark takes it from the C library's `localtime()`: the offset of
 * each frame's own date (daylight saving time included) and its abbreviation. Offsets come
 * from the JS runtime's `Date`, which knows the zone's rules; abbreviations from a name source
 * (the Node entry reads the system's TZif file, whose abbreviations are the C library's),
 * else from `Intl` (whose en-US short names are abbreviations only for some zones: `GMT+9`
 * where tshark says `JST`).
 */
import type { ZoneSpec } from './types.js';

const WEEK = 7 * 86_400;
/** Changes are looked for from 1970 to 2100 (captures have no earlier times). */
const LAST = Date.UTC(2100, 0, 1) / 1000;

/** Seconds east of UTC at `seconds` since the epoch, in the runtime's local zone. */
function offsetAt(seconds: number): number {
  // 0 - x: no -0 for UTC.
  return 0 - new Date(seconds * 1000).getTimezoneOffset() * 60;
}

/**
 * Where the local offset changes between 1970 and 2100: [UTC second, new offset], the first
 * being 1970's. Weeks are stepped through (no zone changes twice within one), then the
 * second of each change is found by bisection.
 */
export function offsetChanges(): [number, number][] {
  let prev = offsetAt(0);
  const out: [number, number][] = [[0, prev]];
  for (let t = WEEK; t <= LAST; t += WEEK) {
    const o = offsetAt(t);
    if (o === prev) continue;
    let lo = t - WEEK;
    let hi = t;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push([hi, o]);
    prev = o;
  }
  return out;
}

let intl: Intl.DateTimeFormat | undefined;

/** The zone's abbreviation by `Intl` (the runtime's local zone) at `seconds`. */
export function intlName(seconds: number): string {
  intl ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const parts = intl.formatToParts(new Date(seconds * 1000));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
}

/**
 * The runtime's local zone for `Config.zone`: abbreviations from `nameAt` (UTC second and
 * offset -> name) where it has one, else from `Intl`.
 */
export function zoneFromRuntime(now: Date, nameAt: (seconds: number, offset: number) => string | undefined = () => undefined): ZoneSpec {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const name = (at: number, offset: number) => nameAt(at, offset) ?? intlName(at);
  const changes = offsetChanges();
  const offsetSeconds = offsetAt(nowSeconds);
  if (changes.length === 1) return { offsetSeconds, name: name(nowSeconds, offsetSeconds) };
  return { offsetSeconds, name: name(nowSeconds, offsetSeconds), changes: changes.map(([start, offset]) => [start, offset, name(start, offset)] as const) };
}
