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
  /** Which bytes start/len refer to: absent = the frame, k = `Dissection.sources[k - 1]`. */
  source?: number;
  generated?: boolean;
  /** Set on `_ws.expert` nodes: the expert info the node's parent item carries. */
  expert?: ExpertInfo;
  children?: TreeNode[];
}

export interface Dissection {
  number: number;
  columns: Columns;
  /** `frame.protocols`, e.g. `eth:ethertype:ip:tcp`. */
  protocols: string;
  tree: TreeNode[];
  /** Bytes made by the dissection (reassembled, de-chunked), as Wireshark's extra byte tabs. */
  sources: DataSource[];
}

export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

/** A field of the registry, as `tshark -G fields` describes it. */
export interface FieldInfo {
  abbrev: string;
  name: string;
  type: string;
  base: string;
  blurb: string;
}

/** tshark's `-t` formats. */
export type TimeFormat = 'r' | 'a' | 'ad' | 'adoy' | 'd' | 'dd' | 'e' | 'u' | 'ud' | 'udoy';

/** One capture interface as the core shows it in the frame tree (pcapng IDB). */
export interface CaptureInterface {
  /** 0-based pcapng section. */
  section: number;
  /** Index within its section (tshark's `frame.interface_id`). */
  localId: number;
  name?: string;
  description?: string;
}

/**
 * How `ingest(batch, { print: true })` prints frames, and what the core should know about the
 * capture. Everything is optional; the default is tshark's summary line with relative times.
 */
export interface OutputConfig {
  /** `summary` (default), `fields` (-T fields), `verbose` (-V) or `quiet` (nothing per frame). */
  mode?: 'summary' | 'fields' | 'verbose' | 'quiet' | 'json' | 'jsonraw' | 'ek' | 'pdml' | 'psml' | 'tabs';
  /** `--no-duplicate-keys`: -T json groups repeated keys into arrays. */
  noDuplicateKeys?: boolean;
  /** `-O`: only these protocols are expanded in -V output. */
  onlyProtocols?: string[];
  /** The capture file's name (PDML's `capture_file`). */
  fileName?: string;
  /** The local time of the run in C's asctime format (PDML's `time`). */
  now?: string;
  /** Append the hex dump (-x). */
  hex?: boolean;
  timeFormat?: TimeFormat;
  /** `-e` fields, in order; `_ws.col.*` names select summary columns. */
  fields?: string[];
  /** `-E header=y`, `separator=`, `occurrence=f|l|a|N`, `aggregator=`, `quote=d|s|n`. */
  header?: boolean;
  separator?: string;
  occurrence?: 'f' | 'l' | 'a' | number;
  aggregator?: string;
  quote?: 'd' | 's' | 'n';
  /** Summary lines in the colors of Wireshark's coloring rules (`--color`, 24-bit escapes). */
  color?: boolean;
  /**
   * No frame of this session will be re-dissected (`rows`, `dissect`, filters and colors of
   * ingested frames): state kept only for that, such as reassembled TCP payloads, is freed as
   * the first pass goes, so memory stays flat on large captures. For batch decoding.
   */
  singlePass?: boolean;
  /**
   * This session dissects only shard `index` of `count` of a single pass (frames hashed by
   * address pair) and merely counts the others; see `Session.ingestShard`. For spreading a
   * single pass over worker threads, when the output names no `tcp.stream`, `udp.stream` or
   * previous displayed frame.
   */
  shard?: { index: number; count: number };
  /** The local time zone for absolute times (`localZone()` gives this machine's); default UTC. */
  zone?: ZoneSpec;
  /** pcapng sources: frames show their section and interface. */
  capture?: { format: 'pcap' | 'pcapng'; interfaces: readonly CaptureInterface[] };
}

/** The result of checking a display filter: `ok`, or tshark's error and where it is. */
export type FilterCheck = { ok: true } | { ok: false; message: string; span?: { start: number; length: number }; report: string };

/** One of Wireshark's default coloring rules as Reef applies it. */
export interface ColorRule {
  name: string;
  filter: string;
  /** `#rrggbb` */
  fg: string;
  bg: string;
  /** False when every protocol the rule tests is one Reef does not dissect. */
  enabled: boolean;
  /** What Reef lacks for this rule, if anything. */
  note?: string;
}

/** Fields completing the last word of a filter, which starts at character `start`. */
export interface Completion {
  start: number;
  fields: { abbrev: string; name: string; type: string; blurb: string }[];
}

/** The conversation and endpoint tables Reef has (tshark's `-z conv,TYPE`). */
export type ConversationType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

/**
 * One conversation. A is the source of its first packet; "AB" counts packets from A to B
 * (tshark's "->" column), "BA" the other way ("<-"). Times in seconds since the first frame.
 */
export interface Conversation {
  a: string;
  b: string;
  /** tcp and udp tables. */
  portA?: number;
  portB?: number;
  /** `tcp.stream`, for tcp. */
  stream?: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  start: number;
  duration: number;
}

/** One endpoint (tshark's `-z endpoints,TYPE`). */
export interface Endpoint {
  address: string;
  port?: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

/** tshark's follow modes. */
export type FollowMode = 'ascii' | 'hex' | 'raw' | 'yaml';

/** A piece of followed payload. `dir` 0 is from node 0 (the stream's first sender). */
export interface FollowChunk {
  frame: number;
  dir: 0 | 1;
  bytes: Uint8Array;
}

export interface FollowedStream {
  /** `host:port` of node 0 and node 1 (IPv6 hosts in brackets); empty when no packet matched. */
  nodes: [string, string];
  /** The payload in order, retransmitted bytes dropped, per direction. */
  chunks: FollowChunk[];
  /** What `tshark -q -z follow,PROTO,MODE,STREAM` prints. */
  text: string;
}

/** TCP states of RFC 9293, as the ladder reports them. */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

/** One segment of a TCP stream, with both endpoints' states after it. */
export interface LadderEvent {
  frame: number;
  /** Seconds since the first frame of the capture. */
  time: number;
  /** 0: from A (the stream's first sender), 1: from B. */
  dir: 0 | 1;
  /** `SYN, ACK`. */
  flags: string;
  seq: number;
  ack: number;
  seqRaw: number;
  ackRaw: number;
  len: number;
  /** Expert messages of the TCP analysis (retransmission, duplicate ACK, ...). */
  notes: string[];
  stateA: TcpState;
  stateB: TcpState;
}

/** The handshake ladder of one TCP stream. */
export interface HandshakeFlow {
  stream: number;
  /** `host:port` of A and B. */
  a: string;
  b: string;
  events: LadderEvent[];
}

/** One line of tshark's `-z expert`. */
export interface ExpertEntry {
  severity: 'Chat' | 'Note' | 'Warning' | 'Error';
  group: string;
  protocol: string;
  summary: string;
  count: number;
}

/** One level of tshark's `-z io,phs`. */
export interface ProtocolLevel {
  protocol: string;
  frames: number;
  bytes: number;
  children: ProtocolLevel[];
}

/**
 * A time zone as the core applies it: the offset east of UTC and abbreviation now, and where
 * they change (daylight saving time), so that each frame shows the offset of its own date as
 * tshark's `localtime()` does.
 */
export interface ZoneSpec {
  offsetSeconds: number;
  name: string;
  /** [UTC seconds it starts at, offset east of UTC in seconds, abbreviation], ascending. */
  changes?: readonly (readonly [number, number, string])[];
}
