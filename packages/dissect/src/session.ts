import { AbiError, ConfigError, FilterSyntaxError, SessionClosedError } from './errors.js';
import { ABI_ERRORS, type RawExports } from './exports.js';
import { makeHost, type FrameLookup, type Host } from './host.js';
import {
  META_WORDS,
  type ColorRule,
  type Completion,
  type Conversation,
  type ConversationType,
  type Dissection,
  type Endpoint,
  type ExpertEntry,
  type FieldInfo,
  type FilterCheck,
  type FollowedStream,
  type FollowMode,
  type FrameBatchLike,
  type HandshakeFlow,
  type OutputConfig,
  type ProtocolLevel,
  type Row,
} from './types.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The core's line-based configuration text (crates/dissect/src/print/mod.rs). */
function configText(c: OutputConfig): string {
  const lines: string[] = [`mode ${c.mode ?? 'summary'}`, `hex ${c.hex ? 1 : 0}`, `time ${c.timeFormat ?? 'r'}`];
  for (const f of c.fields ?? []) lines.push(`field ${f}`);
  if (c.header) lines.push('header y');
  if (c.separator !== undefined) lines.push(`separator ${c.separator}`);
  if (c.occurrence !== undefined) lines.push(`occurrence ${c.occurrence}`);
  if (c.aggregator !== undefined) lines.push(`aggregator ${c.aggregator}`);
  if (c.quote !== undefined) lines.push(`quote ${c.quote}`);
  if (c.color) lines.push('color 1');
  if (c.singlePass) lines.push('single_pass 1');
  if (c.shard) lines.push(`shard ${c.shard.index} ${c.shard.count}`);
  if (c.noDuplicateKeys) lines.push('no-duplicate-keys 1');
  if (c.onlyProtocols?.length) lines.push(`only ${c.onlyProtocols.join(',')}`);
  if (c.fileName !== undefined) lines.push(`file ${c.fileName.replace(/\n/g, ' ')}`);
  if (c.now !== undefined) lines.push(`now ${c.now}`);
  if (c.zone) {
    lines.push(`zone ${Math.trunc(c.zone.offsetSeconds)} ${c.zone.name}`);
    for (const [start, offset, name] of c.zone.changes ?? []) lines.push(`zone_change ${Math.trunc(start)} ${Math.trunc(offset)} ${name}`);
  }
  if (c.capture) {
    lines.push(`format ${c.capture.format}`);
    for (const i of c.capture.interfaces) {
      const clean = (s = '') => s.replace(/[\t\n]/g, ' ');
      lines.push(`interface ${i.section} ${i.localId} ${clean(i.name)}\t${clean(i.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

interface RawFilterResult {
  ok: boolean;
  message?: string;
  span?: [number, number] | null;
  report?: string;
}

/** An instantiated dissector module. One module can host many sessions. */
export class Dissector {
  /** @internal */
  constructor(
    readonly raw: RawExports,
    private readonly host: Host,
  ) {
    host.bind(raw);
  }

  /** Opens a session: frames are ingested in order, then any of them can be re-dissected. */
  openSession(): Session {
    return new Session(this.raw, this.host);
  }

  /** Checks a display filter (see `Session.checkFilter`). */
  checkFilter(filter: string): FilterCheck {
    const s = this.openSession();
    try {
      return s.checkFilter(filter);
    } finally {
      s.close();
    }
  }

  /** Every field of the registry. */
  fields(): FieldInfo[] {
    const s = this.openSession();
    try {
      return s.fields();
    } finally {
      s.close();
    }
  }
}

/**
 * A dissection session over one capture. Frames go in through `ingest` (the first pass, in
 * order); `rows` and `dissect` re-dissect ingested frames from their bytes.
 */
export class Session {
  private handle: number;
  /** A reusable region of wasm memory for input batches. */
  private scratchPtr = 0;
  private scratchLen = 0;

  /** @internal */
  constructor(
    private readonly raw: RawExports,
    private readonly host: Host,
  ) {
    this.handle = raw.reef_session_new();
  }

  /**
   * Tells the session that the host keeps every frame and hands any back through `lookup`
   * (frame number, 1-based, to its bytes as ingested): reassembled TCP PDUs then keep where
   * their bytes are rather than a copy, and are rebuilt when a frame is re-dissected. For
   * viewers over large files; call before the first `ingest`. A frame `lookup` cannot hand
   * back leaves its PDU (and what followed it in the segment) out of that re-dissection.
   * `lookup` runs synchronously inside this session's calls: it must not call the session or
   * its dissector.
   */
  handBackFrames(lookup: FrameLookup): void {
    this.check('handBackFrames', this.raw.reef_host_keeps_frames(this.live()));
    this.host.sources.set(this.handle, lookup);
  }

  /** Frames ingested so far. */
  get frameCount(): number {
    return this.raw.reef_frame_count(this.live());
  }

  /**
   * Sets how `ingest(..., { print: true })` prints frames (summary, fields, tree, hex, time
   * format) and what the core knows about the capture's interfaces. Can be called again, e.g.
   * when a pcapng declares a new interface. Throws ConfigError (e.g. unknown `-e` fields, with
   * tshark's message).
   */
  configure(config: OutputConfig): void {
    const text = encoder.encode(configText(config));
    const ptr = this.raw.reef_alloc(Math.max(text.length, 1));
    try {
      new Uint8Array(this.raw.memory.buffer, ptr, text.length).set(text);
      const code = this.raw.reef_configure(this.live(), ptr, text.length);
      if (code === -4) throw new ConfigError(decoder.decode(this.takeOutput()));
      this.check('configure', code);
    } finally {
      this.raw.reef_dealloc(ptr, Math.max(text.length, 1));
    }
  }

  /**
   * First pass over a batch (frames must come in capture order). With `print` (or its older
   * name `summaries`), returns the batch's text as configured (tshark's summary lines by
   * default) as UTF-8 bytes, ready for stdout.
   */
  ingest(batch: FrameBatchLike, opts: { print?: boolean; summaries?: boolean } = {}): Uint8Array | undefined {
    const print = opts.print ?? opts.summaries ?? false;
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    const n = this.raw.reef_ingest(this.live(), meta, batch.count, data, dataLen, print ? 1 : 0);
    this.check('ingest', n);
    return print ? this.takeOutput() : (this.clearOutput(), undefined);
  }

  /**
   * `ingest(batch, { print: true })` for a session configured with a `shard`: frames of other
   * shards are only counted. Returns the text and where each frame's part of it ends, so that
   * the texts of all shards can be put back in frame order (frame i's part of shard k's text
   * is `text.subarray(ends[i - 1] ?? 0, ends[i])`). They are written into `into` when it is
   * large enough (views of it are returned), else into new arrays.
   */
  ingestShard(batch: FrameBatchLike, into?: { text: Uint8Array; ends: Uint32Array }): { text: Uint8Array; ends: Uint32Array } {
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    const h = this.live();
    this.check('ingestShard', this.raw.reef_ingest(h, meta, batch.count, data, dataLen, 1));
    const text = new Uint8Array(this.raw.memory.buffer, this.raw.reef_out_ptr(h), this.raw.reef_out_len(h));
    const ends = new Uint32Array(this.raw.memory.buffer, this.raw.reef_frame_ends_ptr(h), batch.count);
    let out: { text: Uint8Array; ends: Uint32Array };
    if (into && into.text.length >= text.length && into.ends.length >= ends.length) {
      into.text.set(text);
      into.ends.set(ends);
      out = { text: into.text.subarray(0, text.length), ends: into.ends.subarray(0, ends.length) };
    } else {
      out = { text: text.slice(), ends: ends.slice() };
    }
    this.raw.reef_out_clear(h);
    return out;
  }

  /**
   * First pass over a batch that also tests each frame against the display filter in the same
   * dissection (tshark -Y -w): one byte per frame, 1 or 0, as `filterFrames` returns them.
   * Nothing is printed, whatever `configure` set.
   */
  ingestFiltered(batch: FrameBatchLike): Uint8Array {
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    this.check('ingestFiltered', this.raw.reef_ingest(this.live(), meta, batch.count, data, dataLen, 2));
    return this.takeOutput().map((b) => b - 48);
  }

  /**
   * tshark -2, first pass over a batch (capture order): analysis of every frame and the read
   * filter's verdict, one byte per frame (1 kept, 0 dropped). Nothing is printed.
   */
  ingestFirstPass(batch: FrameBatchLike): Uint8Array {
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    this.check('ingestFirstPass', this.raw.reef_ingest(this.live(), meta, batch.count, data, dataLen, 4));
    return this.takeOutput().map((b) => b - 48);
  }

  /**
   * tshark -2, second pass: the same frames again, from the first, in the same order. The kept
   * ones are re-dissected under their new numbers, fed to the statistics, and printed as
   * configured when the display filter passes them; returns the text.
   */
  printSecondPass(batch: FrameBatchLike): Uint8Array {
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    this.check('printSecondPass', this.raw.reef_ingest(this.live(), meta, batch.count, data, dataLen, 8));
    return this.takeOutput();
  }

  /** Summary rows of frames `start .. start+count` of a batch of already-ingested frames. */
  rows(batch: FrameBatchLike, start = 0, count = batch.count - start): Row[] {
    if (count <= 0) return [];
    const [meta, data, dataLen] = this.copyIn(batch, start, count);
    this.check('rows', this.raw.reef_rows(this.live(), meta, count, data, dataLen));
    return JSON.parse(decoder.decode(this.takeOutput())) as Row[];
  }

  /** The details tree of frame `index` of a batch of already-ingested frames. */
  dissect(batch: FrameBatchLike, index: number): Dissection {
    const [meta, data, dataLen] = this.copyIn(batch, index, 1);
    this.check('dissect', this.raw.reef_dissect(this.live(), meta, data, dataLen));
    const raw = JSON.parse(decoder.decode(this.takeOutput())) as Omit<Dissection, 'sources'> & { sources: { name: string; hex: string }[] };
    const sources = raw.sources.map(({ name, hex }) => ({ name, bytes: Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)) }));
    return { ...raw, sources };
  }

  /**
   * Compiles a display filter without installing it: `{ ok: true }` or tshark's error with
   * its span. Cheap enough to run on every keystroke.
   */
  checkFilter(filter: string): FilterCheck {
    const code = this.withText(filter, (ptr, len) => this.raw.reef_filter_check(this.live(), ptr, len));
    if (code !== -5) this.check('checkFilter', code);
    const r = JSON.parse(decoder.decode(this.takeOutput())) as RawFilterResult;
    if (r.ok) return { ok: true };
    const span = r.span ? { start: r.span[0], length: r.span[1] } : undefined;
    return { ok: false, message: r.message ?? '', ...(span ? { span } : {}), report: r.report ?? '' };
  }

  /**
   * Sets the display filter: `ingest(..., { print: true })` then prints only frames that pass
   * (tshark -Y), and `filterFrames` tests against it. An empty filter clears it. Throws
   * FilterSyntaxError.
   */
  setDisplayFilter(filter: string): void {
    const code = this.withText(filter, (ptr, len) => this.raw.reef_filter_set(this.live(), ptr, len));
    if (code === -5) {
      const r = JSON.parse(decoder.decode(this.takeOutput())) as RawFilterResult;
      const span = r.span ? { start: r.span[0], length: r.span[1] } : undefined;
      throw new FilterSyntaxError(r.message ?? '', filter, span, r.report ?? '');
    }
    this.check('setDisplayFilter', code);
  }

  /** tshark -2 -R: the read filter of `ingestFirstPass`. Throws FilterSyntaxError. */
  setReadFilter(filter: string): void {
    const code = this.withText(filter, (ptr, len) => this.raw.reef_read_filter_set(this.live(), ptr, len));
    if (code === -5) {
      const r = JSON.parse(decoder.decode(this.takeOutput())) as RawFilterResult;
      const span = r.span ? { start: r.span[0], length: r.span[1] } : undefined;
      throw new FilterSyntaxError(r.message ?? '', filter, span, r.report ?? '');
    }
    this.check('setReadFilter', code);
  }

  /**
   * Which of frames `start .. start+count` of a batch of already-ingested frames pass the
   * display filter: one byte per frame, 1 or 0 (all 1 without a filter).
   */
  filterFrames(batch: FrameBatchLike, start = 0, count = batch.count - start): Uint8Array {
    if (count <= 0) return new Uint8Array(0);
    const [meta, data, dataLen] = this.copyIn(batch, start, count);
    this.check('filterFrames', this.raw.reef_filter_frames(this.live(), meta, count, data, dataLen));
    // The core writes ASCII '0'/'1'.
    return this.takeOutput().map((b) => b - 48);
  }

  /**
   * For frames `start .. start+count` of a batch of already-ingested frames, the display
   * filter's verdict when what the first pass recorded settles it without their bytes: 1 or 0,
   * or 2 for a frame `filterFrames` must dissect. Reads only `batch.meta`, so a host that reads
   * bytes back from a file can skip reading the batches where nothing is 2.
   */
  prejudgeFrames(batch: Pick<FrameBatchLike, 'meta' | 'count'>, start = 0, count = batch.count - start): Uint8Array {
    if (count <= 0) return new Uint8Array(0);
    const words = count * META_WORDS;
    const ptr = this.scratch(words * 4);
    new Uint32Array(this.raw.memory.buffer, ptr, words).set(batch.meta.subarray(start * META_WORDS, start * META_WORDS + words));
    this.check('prejudgeFrames', this.raw.reef_prejudge_frames(this.live(), ptr, count));
    // The core writes ASCII '0'/'1'/'2'.
    return this.takeOutput().map((b) => b - 48);
  }

  /** Wireshark's default coloring rules, as this session applies them. */
  colorRules(): ColorRule[] {
    this.check('colorRules', this.raw.reef_color_rules(this.live()));
    const rows = JSON.parse(decoder.decode(this.takeOutput())) as [string, string, string, string, boolean, string | null][];
    return rows.map(([name, filter, fg, bg, enabled, note]) => ({ name, filter, fg, bg, enabled, ...(note ? { note } : {}) }));
  }

  /** The index into `colorRules()` of each frame's rule (-1: none) for already-ingested frames. */
  colorFrames(batch: FrameBatchLike, start = 0, count = batch.count - start): number[] {
    if (count <= 0) return [];
    const [meta, data, dataLen] = this.copyIn(batch, start, count);
    this.check('colorFrames', this.raw.reef_color_frames(this.live(), meta, count, data, dataLen));
    return JSON.parse(decoder.decode(this.takeOutput())) as number[];
  }

  /** Registry fields completing the last word of `filter`. */
  complete(filter: string): Completion {
    const code = this.withText(filter, (ptr, len) => this.raw.reef_complete(this.live(), ptr, len));
    this.check('complete', code);
    const r = JSON.parse(decoder.decode(this.takeOutput())) as { start: number; fields: string[][] };
    return {
      start: r.start,
      fields: r.fields.map(([abbrev = '', name = '', type = '', blurb = '']) => ({ abbrev, name, type, blurb })),
    };
  }

  /**
   * Starts statistics, given as tshark `-z` arguments (`conv,tcp`, `endpoints,ip`,
   * `follow,tcp,ascii,0`, `flow,tcp,standard`, `expert`, `io,phs`, and Reef's `ladder,N`).
   * `ingest(batch, { print: true })` then feeds them; `statsText()` prints them as tshark does.
   * Replaces earlier statistics. Throws ConfigError with a tshark-style message.
   */
  startStats(requests: readonly string[]): void {
    const text = encoder.encode(requests.map((r) => r.replace(/\n/g, ' ')).join('\n') + '\n');
    const ptr = this.raw.reef_alloc(Math.max(text.length, 1));
    try {
      new Uint8Array(this.raw.memory.buffer, ptr, text.length).set(text);
      const code = this.raw.reef_stats_start(this.live(), ptr, text.length);
      if (code === -4) throw new ConfigError(decoder.decode(this.takeOutput()));
      this.check('startStats', code);
    } finally {
      this.raw.reef_dealloc(ptr, Math.max(text.length, 1));
    }
  }

  /** Feeds already ingested frames to the statistics (re-dissecting them), for hosts whose
   * first pass did not print. Frames outside a followed stream are skipped cheaply. */
  feedStats(batch: FrameBatchLike): void {
    if (batch.count === 0) return;
    const [meta, data, dataLen] = this.copyIn(batch, 0, batch.count);
    this.check('feedStats', this.raw.reef_stats_feed(this.live(), meta, batch.count, data, dataLen));
  }

  /**
   * This session's conversation and endpoint tables, for another session with the same
   * statistics to `absorbStats` (sessions each dissecting one shard of a capture). Throws
   * ConfigError if another kind of statistic was started.
   */
  exportStats(): Uint8Array {
    const code = this.raw.reef_stats_export(this.live());
    if (code === -4) throw new ConfigError(decoder.decode(this.takeOutput()));
    this.check('exportStats', code);
    return this.takeOutput();
  }

  /** Adds another session's `exportStats` to this session's statistics. */
  absorbStats(exported: Uint8Array): void {
    const code = this.withBytes(exported, (ptr, len) => this.raw.reef_stats_absorb(this.live(), ptr, len));
    if (code === -4) throw new ConfigError(decoder.decode(this.takeOutput()));
    this.check('absorbStats', code);
  }

  /** tshark's text of every statistic (the last requested first), UTF-8. */
  statsText(): Uint8Array {
    this.check('statsText', this.raw.reef_stats_text(this.live()));
    return this.takeOutput();
  }

  /**
   * `statsText` in pieces of about `budget` bytes (whole rows), so a table of a million
   * conversations is never one text in memory. Take them to the end: a new iteration goes on
   * where an abandoned one stopped (`statsText` always starts afresh).
   */
  *statsTextParts(budget = 1 << 20): Generator<Uint8Array> {
    for (;;) {
      const more = this.raw.reef_stats_text_part(this.live(), budget);
      this.check('statsText', more);
      yield this.takeOutput();
      if (more === 0) return;
    }
  }

  /**
   * What closes a document format (`]` of -T json, `</pdml>`), after the last batch. With
   * `singlePass` this is the end of input: the analysis state is let go (statistics stay).
   */
  finish(): Uint8Array {
    this.check('finish', this.raw.reef_finish(this.live()));
    return this.takeOutput();
  }

  /** The data of statistic `index` (request order) as JSON. */
  statsJson<T>(index: number): T {
    this.check('statsJson', this.raw.reef_stats_json(this.live(), index));
    return JSON.parse(decoder.decode(this.takeOutput())) as T;
  }

  /** Conversations of one type over `frames` (already ingested, in any batches). */
  conversations(type: ConversationType, frames: Iterable<FrameBatchLike>): Conversation[] {
    return this.collect<Conversation[]>(`conv,${type}`, frames);
  }

  /** Endpoints of one type over `frames`. */
  endpoints(type: ConversationType, frames: Iterable<FrameBatchLike>): Endpoint[] {
    return this.collect<Endpoint[]>(`endpoints,${type}`, frames);
  }

  /** The payload of TCP or UDP stream `stream` in order, and tshark's text of it in `mode`. */
  follow(proto: 'tcp' | 'udp', stream: number, frames: Iterable<FrameBatchLike>, mode: FollowMode = 'ascii'): FollowedStream {
    const raw = this.collect<{ nodes: [string, string]; chunks: { frame: number; dir: 0 | 1; hex: string }[] }>(
      `follow,${proto},${mode},${stream}`,
      frames,
    );
    const chunks = raw.chunks.map(({ frame, dir, hex }) => ({ frame, dir, bytes: fromHex(hex) }));
    return { nodes: raw.nodes, chunks, text: decoder.decode(this.statsText()) };
  }

  /** The handshake ladder of TCP stream `stream`: every segment with both endpoints' states. */
  flow(stream: number, frames: Iterable<FrameBatchLike>): HandshakeFlow {
    return this.collect<HandshakeFlow>(`ladder,${stream}`, frames);
  }

  /** The expert-info summary over `frames`, as tshark's `-z expert` counts it. */
  expert(frames: Iterable<FrameBatchLike>): ExpertEntry[] {
    return this.collect<ExpertEntry[]>('expert', frames);
  }

  /** Protocol hierarchy statistics over `frames`. */
  protocolHierarchy(frames: Iterable<FrameBatchLike>): ProtocolLevel[] {
    return this.collect<ProtocolLevel[]>('io,phs', frames);
  }

  private collect<T>(request: string, frames: Iterable<FrameBatchLike>): T {
    this.startStats([request]);
    for (const b of frames) this.feedStats(b);
    return this.statsJson<T>(0);
  }

  /** Every field of the registry. */
  fields(): FieldInfo[] {
    this.check('fields', this.raw.reef_fields(this.live()));
    const rows = JSON.parse(decoder.decode(this.takeOutput())) as string[][];
    return rows.map(([abbrev = '', name = '', type = '', base = '', blurb = '']) => ({ abbrev, name, type, base, blurb }));
  }

  /** Frees the session's wasm memory. The session cannot be used afterwards. */
  close(): void {
    if (this.handle === 0) return;
    if (this.scratchPtr) this.raw.reef_dealloc(this.scratchPtr, this.scratchLen);
    this.host.sources.delete(this.handle);
    this.raw.reef_session_free(this.handle);
    this.handle = 0;
    this.scratchPtr = 0;
  }

  /** Calls `f` with `text` copied into wasm memory as UTF-8. */
  private withText(text: string, f: (ptr: number, len: number) => number): number {
    return this.withBytes(encoder.encode(text), f);
  }

  private withBytes(bytes: Uint8Array, f: (ptr: number, len: number) => number): number {
    const size = Math.max(bytes.length, 1);
    const ptr = this.raw.reef_alloc(size);
    try {
      new Uint8Array(this.raw.memory.buffer, ptr, bytes.length).set(bytes);
      return f(ptr, bytes.length);
    } finally {
      this.raw.reef_dealloc(ptr, size);
    }
  }

  private live(): number {
    if (this.handle === 0) throw new SessionClosedError();
    return this.handle;
  }

  private check(call: string, code: number): void {
    if (code < 0) throw new AbiError(call, code, ABI_ERRORS[code] ?? 'unknown error');
  }

  /**
   * Copies frames `start .. start+count` of a batch into wasm memory: their metadata (with data
   * offsets rebased) followed by the bytes they span. Returns [metaPtr, dataPtr, dataLen].
   */
  private copyIn(batch: FrameBatchLike, start: number, count: number): [number, number, number] {
    const m = batch.meta;
    let lo = Infinity;
    let hi = 0;
    for (let i = start; i < start + count; i++) {
      const off = m[i * META_WORDS + 1]!;
      lo = Math.min(lo, off);
      hi = Math.max(hi, off + m[i * META_WORDS + 2]!);
    }
    if (count === 0) lo = 0;
    const metaBytes = count * META_WORDS * 4;
    const dataLen = hi - lo;
    this.scratch(metaBytes + dataLen);
    // Views are taken after any allocation: growing memory detaches older views.
    const words = new Uint32Array(this.raw.memory.buffer, this.scratchPtr, count * META_WORDS);
    words.set(m.subarray(start * META_WORDS, (start + count) * META_WORDS));
    for (let i = 0; i < count; i++) words[i * META_WORDS + 1] = words[i * META_WORDS + 1]! - lo;
    const dataPtr = this.scratchPtr + metaBytes;
    new Uint8Array(this.raw.memory.buffer, dataPtr, dataLen).set(batch.data.subarray(lo, hi));
    return [this.scratchPtr, dataPtr, dataLen];
  }

  /** The scratch area in wasm memory, grown to at least `need` bytes; returns its address. */
  private scratch(need: number): number {
    if (need > this.scratchLen) {
      if (this.scratchPtr) this.raw.reef_dealloc(this.scratchPtr, this.scratchLen);
      this.scratchLen = Math.max(need, this.scratchLen * 2, 1 << 16);
      this.scratchPtr = this.raw.reef_alloc(this.scratchLen);
    }
    return this.scratchPtr;
  }

  /** A copy of the output buffer, which is then cleared. */
  private takeOutput(): Uint8Array {
    const h = this.live();
    const ptr = this.raw.reef_out_ptr(h);
    const len = this.raw.reef_out_len(h);
    const copy = new Uint8Array(this.raw.memory.buffer, ptr, len).slice();
    this.raw.reef_out_clear(h);
    return copy;
  }

  private clearOutput(): void {
    this.raw.reef_out_clear(this.live());
  }
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Instantiates the module from its bytes (any host with WebAssembly). */
export async function instantiateDissector(bytes: BufferSource): Promise<Dissector> {
  const host = makeHost();
  const { instance } = await WebAssembly.instantiate(bytes, host.imports);
  return new Dissector(instance.exports as unknown as RawExports, host);
}
