/**
 * ctrl-f search over the listed packets, from the selection on, wrapping around: a string or a
 * regex in the summary row or the packet's bytes, hex bytes, or a display filter (tested with
 * the session's filter swapped in for the slice, then put back).
 */
import type { Row, Session } from '@reef/dissect';
import { frameBytes } from '@reef/capture';
import type { DisplayList } from '../state/display-list.js';
import { SLICE_FRAMES, type FrameScan, type ScanProgress } from '../state/frame-scan.js';
import type { FrameStore } from '../state/frame-store.js';

export const SEARCH_KINDS = ['string', 'regex', 'hex', 'filter'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export type SearchSpec =
  | { kind: 'string'; text: string; needle: string }
  | { kind: 'regex'; text: string; re: RegExp }
  | { kind: 'hex'; text: string; bytes: Uint8Array }
  | { kind: 'filter'; text: string };

/** The search as typed, or what is wrong with it. */
export function parseSearch(kind: SearchKind, text: string): SearchSpec | string {
  switch (kind) {
    case 'string':
      return { kind, text, needle: text.toLowerCase() };
    case 'regex':
      try {
        return { kind, text, re: new RegExp(text, 'i') };
      } catch (e) {
        return `invalid regex: ${e instanceof Error ? e.message : String(e)}`;
      }
    case 'hex': {
      const digits = text.replace(/0x/gi, '').replace(/[\s:.-]/g, '');
      if (!/^([0-9a-f]{2})+$/i.test(digits)) return 'hex search: give bytes as hex digits, e.g. 474554 or 47:45:54';
      return { kind, text, bytes: Uint8Array.from(digits.match(/../g)!, (h) => parseInt(h, 16)) };
    }
    case 'filter':
      return { kind, text };
  }
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const latin1 = new TextDecoder('latin1');

export interface SearchContext {
  display: DisplayList;
  session: Session;
  store: FrameStore;
  appliedFilter: string;
  job: FrameScan;
  progress(p: ScanProgress): void;
}

/** Which of rows `from .. to` match. */
function matchRange(spec: SearchSpec, c: SearchContext, from: number, to: number): boolean[] {
  const out: boolean[] = [];
  const spans = c.display.spans(from, to - from);
  if (spec.kind === 'filter') {
    c.session.setDisplayFilter(spec.text);
    try {
      for (const s of spans) for (const b of c.session.filterFrames(s.batch, s.start, s.count)) out.push(b === 1);
    } finally {
      c.session.setDisplayFilter(c.appliedFilter);
    }
    return out;
  }
  for (const s of spans) {
    const rows: Row[] | undefined = spec.kind === 'hex' ? undefined : c.session.rows(s.batch, s.start, s.count);
    for (let k = 0; k < s.count; k++) {
      const bytes = frameBytes(s.batch, s.start + k);
      if (spec.kind === 'hex') {
        out.push(indexOfBytes(bytes, spec.bytes));
        continue;
      }
      const text = rows![k]!.join(' ');
      const raw = latin1.decode(bytes);
      out.push(spec.kind === 'string' ? text.toLowerCase().includes(spec.needle) || raw.toLowerCase().includes(spec.needle) : spec.re.test(text) || spec.re.test(raw));
    }
  }
  return out;
}

/** The next matching row after `pos` in direction `dir` (wrapping), or undefined. */
export async function findMatch(spec: SearchSpec, dir: 1 | -1, pos: number, c: SearchContext): Promise<number | undefined> {
  const n = c.display.count;
  let scanned = 0;
  // Row ranges in search order: after the selection to the end, then the start up to it.
  const ranges: [number, number][] = dir > 0 ? [[pos + 1, n], [0, pos + 1]] : [[0, pos], [pos, n]];
  for (const [lo, hi] of ranges) {
    const slices: [number, number][] = [];
    for (let a = lo; a < hi; a += SLICE_FRAMES) slices.push([a, Math.min(hi, a + SLICE_FRAMES)]);
    if (dir < 0) slices.reverse();
    for (const [a, b] of slices) {
      if (c.job.cancelled) return undefined;
      const m = matchRange(spec, c, a, b);
      if (dir > 0) {
        const k = m.indexOf(true);
        if (k >= 0) return a + k;
      } else {
        const k = m.lastIndexOf(true);
        if (k >= 0) return a + k;
      }
      scanned += b - a;
      c.progress({ what: c.job.what, done: scanned, total: n });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return undefined;
}
