/** Words of metadata per frame in a batch (packages/capture/src/batch.ts). */
export const META_WORDS = 10;

/** Any batch with @reef/capture's FrameBatch layout. */
export interface FrameBatchLike {
  count: number;
  data: Uint8Array;
  meta: Uint32Array;
}

/** The summary columns of one frame. */
export interface Columns {
  protocol: string;
  info: string;
  src: string;
  dst: string;
}

/** One packet-list row: `[number, time, source, destination, protocol, length, info]`. */
export type Row = [number, string, string, string, string, number, string];

export interface ExpertInfo {
  severity: 'Chat' | 'Note' | 'Warning' | 'Error';
  group: string;
  message: string;
}

/** A node of the details tree. `start`/`len` are the bytes it covers in the frame. */
export interface TreeNode {
  label: string;
  field: string;
  start: number;
  len: number;
  generated?: boolean;
  expert?: ExpertInfo;
  children?: TreeNode[];
}

export interface Dissection {
  number: number;
  columns: Columns;
  /** `frame.protocols`, e.g. `eth:ethertype:ip:tcp`. */
  protocols: string;
  tree: TreeNode[];
}

/** A field of the registry, as `tshark -G fields` describes it. */
export interface FieldInfo {
  abbrev: string;
  name: string;
  type: string;
  base: string;
  blurb: string;
}
