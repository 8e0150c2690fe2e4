/** The messages between the page and the dissection worker (worker.ts). */
import type { ColorRule, Dissection, FilterCheck, Row } from '@reef/dissect';

export interface Opened {
  frameCount: number;
  format: string;
  /** The "cut short" warning of a truncated file. */
  truncation?: string;
  rules: ColorRule[];
}

export interface RowsResult {
  rows: Row[];
  /** Index into the rules of each row (-1: none). */
  colors: number[];
}

export interface Details {
  dissection: Dissection;
  bytes: Uint8Array;
}

/** Each operation: its arguments and its result. */
export interface Ops {
  open: [{ bytes: ArrayBuffer; name: string }, Opened];
  rows: [{ start: number; count: number }, RowsResult];
  details: [{ index: number }, Details];
  check: [{ filter: string }, FilterCheck];
  matches: [{ filter: string }, number[]];
}

export type Request = { [K in keyof Ops]: { id: number; op: K; args: Ops[K][0] } }[keyof Ops];
export type Response = { id: number; result: unknown } | { id: number; error: { name: string; message: string } };
