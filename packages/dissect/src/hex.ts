/** The hex pane's data: bytes cut into lines, and which bytes a tree node covers. */
import type { Dissection, TreeNode } from './types.js';

/** One line of a hex dump: its offset and up to `width` bytes. */
export interface HexLine {
  offset: number;
  bytes: Uint8Array;
}

/** Cuts `bytes` into lines of `width` bytes (16, as Wireshark and `tshark -x`). */
export function hexLines(bytes: Uint8Array, width = 16): HexLine[] {
  const lines: HexLine[] = [];
  for (let off = 0; off < bytes.length; off += width) lines.push({ offset: off, bytes: bytes.subarray(off, off + width) });
  return lines;
}

/** Bytes `start .. end` (exclusive) of the frame (`source` absent) or of `Dissection.sources[source - 1]`. */
export interface ByteRange {
  /** Absent: the frame's bytes; k: `sources[k - 1]` (reassembled or de-chunked data). */
  source?: number;
  start: number;
  end: number;
}

/** The bytes a node covers, clipped to what its data source holds; undefined for a node with none. */
export function nodeBytes(node: TreeNode, dissection: Dissection, frame: Uint8Array): ByteRange | undefined {
  if (node.len <= 0) return undefined;
  const data = node.source ? dissection.sources[node.source - 1]?.bytes : frame;
  if (!data) return undefined;
  const start = Math.min(node.start, data.length);
  const end = Math.min(node.start + node.len, data.length);
  if (end <= start) return undefined;
  return { ...(node.source ? { source: node.source } : {}), start, end };
}
