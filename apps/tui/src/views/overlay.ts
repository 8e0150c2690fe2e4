/**
 * Overlays: the full-screen views opened over the three panes (conversations, follow stream,
 * flow, capture properties, expert info, protocol hierarchy). Each view is a plain class that
 * turns its state into styled lines and handles its keys; the OverlayPane widget draws it and
 * MainView routes keys to it while it is open.
 */
import type { SpanStyle } from '../state/text.js';

/** The panes' styles plus the ones only views use. */
export type ViewStyle = SpanStyle | 'client' | 'server' | 'match' | 'tab' | 'tabActive' | 'note' | 'chat';

export interface ViewSpan {
  text: string;
  style: ViewStyle;
}

export type ViewLine = ViewSpan[];

export function vspan(text: string, style: ViewStyle = 'normal'): ViewSpan {
  return { text, style };
}

/** What a view may ask of the main screen. */
export interface OverlayHost {
  /** Closes the view (back to the packet list). */
  closeOverlay(): void;
  /** Applies a display filter to the packet list; returns an error message when it does not compile. */
  applyDisplayFilter(filter: string): string | undefined;
  /** Puts a filter in front of the user without applying it. */
  prepareFilter(filter: string): void;
  /** The display filter applied now ('' when none). */
  readonly displayFilter: string;
  /** Selects frame `number` in the packet list (the nearest displayed one if it is hidden). */
  selectFrame(number: number): void;
}

export interface Overlay {
  /** The pane's title. */
  title(): string;
  /** The lines to draw in a `width` x `height` area. */
  render(width: number, height: number): ViewLine[];
  /** Left part of the status bar. */
  status(): string;
  /** Key hints on the right of the status bar. */
  hints(): string;
  /** A key, as keys.ts names it, and the character typed (for text inputs). */
  key(id: string, ch?: string): void;
}

/** A number with thousands separators, as Wireshark's statistics dialogs show them. */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A byte count as Wireshark's dialogs: 929 bytes, 1.2 kB, 3 MB. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
