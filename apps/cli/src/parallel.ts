/**
 * Both cores for a single pass: worker threads (shard-worker.ts) each dissect the frames of
 * one shard of the capture (frames hashed by address pair, so every flow's state stays in one
 * session; see crates/dissect/src/session/shard.rs) and only count the others. The main
 * thread reads the file, hands every batch to every worker, and puts their answers back in
 * frame order: output is byte for byte what one session prints.
 *
 * Used for reading a file when the output is summary lines (also with -x), -T fields or -Y
 * with -w, with any conversation and endpoint tables (tables alone only when REEF_WORKERS asks:
 * see shardCount), and names nothing that numbers across flows
 * (tcp.stream, udp.stream, quic.connection.number) or reads the previous displayed frame;
 * anything else (-V, JSON, other -z, -2, -l, stdin, live capture) runs in one session.
 */
import { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_FRAMES, META_WORDS, type FrameBatch, type PacketSource } from '@reef/capture';
import { loadModule, type OutputConfig, type WasmSource } from '@reef/dissect';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { displayFilter, type Options } from './options.js';
import { Stdout } from './output.js';
import type { ShardInit, ShardReply, ShardRequest } from './shard-worker.js';
import { OutputError, pickFrames, type BatchSink } from './write.js';

/** Below this a file is read before two more wasm cores would have started. */
const MIN_FILE_BYTES = 32 * 1024 * 1024;
/** Batches handed out and not yet written: enough to keep both workers busy, little memory. */
const IN_FLIGHT = 3;
/** Names whose values depend on frames of other shards. */
const CROSS_SHARD = /\b(tcp|udp)\.stream\b|quic\.connection\.number|time_delta_displayed|frame\.(ref_time|marked|ignored)\b/;

/**
 * How many workers to spread `o`'s single pass over: 0 for one session. REEF_WORKERS sets the
 * number (0 or 1: never); by default both cores, for files large enough to gain from them.
 */
export function shardCount(o: Options): number {
  if (!o.readFile || o.readFile === '-' || o.twoPass || o.lineBuffered || o.color) return 0;
  if (o.verbose || o.timeFormat === 'dd') return 0;
  // Conversation and endpoint tables add up across shards (crates/dissect/src/stats/merge.rs).
  if (!o.statistics.every((z) => /^(conv|endpoints),/.test(z))) return 0;
  const format = o.outputFormat ?? 'text';
  const printing = !o.writeFile && (o.quiet ? o.statistics.length > 0 : format === 'text' || format === 'fields');
  const filtering = o.writeFile !== undefined && displayFilter(o) !== undefined;
  if (!printing && !filtering) return 0;
  const named = [displayFilter(o) ?? '', ...o.fields, ...o.statistics].join(' ');
  if (CROSS_SHARD.test(named)) return 0;
  const forced = process.env['REEF_WORKERS'];
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    return Number.isInteger(n) && n >= 2 ? Math.min(n, 16) : 0;
  }
  // Tables alone (-q -z conv/endpoints): each worker would hold its own copy of the tables,
  // which are most of the memory, for a few percent of time (5M frames: 5.4 s against 5.6-6.3 s,
  // 305 MB against 260 MB peak, half again the CPU).
  if (o.quiet) return 0;
  const cores = Math.min(availableParallelism(), 4);
  if (cores < 2) return 0;
  try {
    const st = statSync(o.readFile);
    return st.isFile() && st.size >= MIN_FILE_BYTES ? cores : 0;
  } catch {
    return 0;
  }
}

/**
 * `bytes` in pieces of about `size` bytes, each ending after a newline (a table export is one
 * row per line): a worker adds another's tables up piece by piece, so its wasm heap (which
 * never shrinks) holds one piece at a time instead of the whole export.
 */
export function* linePieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + size, bytes.length);
    if (end < bytes.length) {
      const back = bytes.lastIndexOf(10, end - 1);
      const ahead = bytes.indexOf(10, end);
      end = back >= start ? back + 1 : ahead >= 0 ? ahead + 1 : bytes.length;
    }
    yield bytes.subarray(start, end);
    start = end;
  }
}

/** One worker and the answers it owes, oldest first (a worker answers in order). */
class Shard {
  private readonly waiting: { resolve: (r: ShardReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (r: ShardReply) => {
      const w = this.waiting.shift();
      if (r.type === 'error') w?.reject(new Error(r.message));
      else w?.resolve(r);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`a worker thread exited (${code})`)));
  }

  ask(msg: ShardRequest, transfer: ArrayBuffer[] = []): Promise<ShardReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      // Posted first: a message that could not be posted gets no reply to wait for.
      this.worker.postMessage(msg, transfer);
      this.waiting.push({ resolve, reject });
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}

const shared8 = (n: number) => new Uint8Array(new SharedArrayBuffer(n));
const shared32 = (n: number) => new Uint32Array(new SharedArrayBuffer(n * 4));

/**
 * Shared memory for one batch: its bytes and metadata, copied in once for every worker, and
 * each worker's place for its answer. Slots are reused in turn: fresh buffers per batch would
 * be freed only when every thread's garbage collector ran, and workers allocate too little to
 * run it often (memory grew by hundreds of MB on 5M frames).
 */
class Slot {
  data = shared8(0);
  meta = shared32(DEFAULT_BATCH_FRAMES * META_WORDS);
  /** The answers put in frame order (main thread only). */
  private merged = Buffer.alloc(0);
  readonly answers: { text: Uint8Array; ends: Uint32Array }[];
  /** Settles once the batch in it was answered and read. */
  free: Promise<unknown> = Promise.resolve();

  constructor(workers: number) {
    this.answers = Array.from({ length: workers }, () => ({ text: shared8(256 * 1024), ends: shared32(DEFAULT_BATCH_FRAMES) }));
  }

  /** Copies the first `count` frames of `batch` in (once the slot is free). */
  async fill(batch: FrameBatch, count: number): Promise<void> {
    await this.free.catch(() => undefined);
    const words = count * META_WORDS;
    if (words > this.meta.length) {
      this.meta = shared32(words);
      for (const a of this.answers) a.ends = shared32(count);
    }
    this.meta.set(batch.meta.subarray(0, words));
    let end = 0;
    for (let i = 0; i < count; i++) end = Math.max(end, this.meta[i * META_WORDS + 1]! + this.meta[i * META_WORDS + 2]!);
    if (end > this.data.length) this.data = shared8(Math.max(end, Math.min(DEFAULT_BATCH_BYTES, end * 1.25)));
    this.data.set(batch.data.subarray(0, end));
  }

  request(k: number, count: number, capture: OutputConfig['capture']): ShardRequest {
    const a = this.answers[k]!;
    return { type: 'batch', count, data: this.data, meta: this.meta, text: a.text, ends: a.ends, ...(capture && { capture }) };
  }

  /** The frames' texts of all workers, in frame order (valid until the slot is reused). */
  merge(replies: ShardReply[], count: number): Buffer {
    const parts = replies.map((r, k) => {
      const a = this.answers[k]!;
      if (r.type !== 'print') throw new Error(`unexpected ${r.type} reply`);
      if (r.grown) a.text = r.grown;
      return { text: Buffer.from(a.text.buffer, a.text.byteOffset, r.length), ends: a.ends, at: 0 };
    });
    const total = parts.reduce((n, p) => n + p.text.length, 0);
    if (total > this.merged.length) this.merged = Buffer.allocUnsafe(Math.ceil(total * 1.25));
    const out = this.merged;
    let pos = 0;
    // Consecutive frames of one worker are copied as one run: a copy per frame cost the main
    // thread more than the bytes (and a garbage object each), time the workers' cores lost.
    let owner: (typeof parts)[number] | undefined;
    let runStart = 0;
    for (let i = 0; i < count; i++) {
      for (const p of parts) {
        const end = p.ends[i]!;
        if (end > p.at) {
          if (p !== owner) {
            if (owner) pos += owner.text.copy(out, pos, runStart, owner.at);
            owner = p;
            runStart = p.at;
          }
          p.at = end;
        }
      }
    }
    if (owner) pos += owner.text.copy(out, pos, runStart, owner.at);
    return out.subarray(0, pos);
  }

  /** Which frames any worker's display filter passed. */
  passed(count: number): number[] {
    const verdicts = this.answers.map((a) => new Uint8Array(a.ends.buffer, 0, count));
    const keep: number[] = [];
    for (let i = 0; i < count; i++) if (verdicts.some((v) => v[i] === 1)) keep.push(i);
    return keep;
  }
}

/** Workers, each with its own session over one shard, fed the same batches in order. */
class ShardPool {
  private interfaces = 0;
  private readonly slots: Slot[];
  private next = 0;

  private constructor(private readonly shards: Shard[]) {
    this.slots = Array.from({ length: IN_FLIGHT + 1 }, () => new Slot(shards.length));
  }

  static start(module: WasmSource, count: number, config: OutputConfig, filter: string, kind: ShardInit['kind'], statistics: readonly string[] = []): ShardPool {
    const url = new URL('./shard-worker.js', import.meta.url);
    const shards: Shard[] = [];
    try {
      for (let index = 0; index < count; index++) {
        // -E header=y: the first shard prints the header (before frame 1, whoever dissects it).
        const shardConfig: OutputConfig = { ...config, shard: { index, count }, ...(index > 0 && { header: false }) };
        const workerData: ShardInit = { config: shardConfig, filter, kind, statistics, module };
        shards.push(new Shard(new Worker(url, { workerData })));
      }
    } catch (e) {
      for (const s of shards) void s.worker.terminate();
      throw e;
    }
    return new ShardPool(shards);
  }

  /**
   * Hands the first `count` frames of `batch` to every worker (once this resolves, the next
   * batch may be submitted). `done` settles when `use` (given the answers) has: the slot is
   * reused only after that.
   */
  async submit(batch: FrameBatch, count: number, source: PacketSource, use: (slot: Slot, replies: ShardReply[]) => Promise<void>): Promise<{ done: Promise<void> }> {
    const slot = this.slots[this.next++ % this.slots.length]!;
    await slot.fill(batch, count);
    let capture: OutputConfig['capture'];
    if (source.interfaces.length !== this.interfaces || this.interfaces === 0) {
      capture = { format: source.format, interfaces: source.interfaces };
      this.interfaces = source.interfaces.length;
    }
    const done = Promise.all(this.shards.map((s, k) => s.ask(slot.request(k, count, capture)))).then((replies) => use(slot, replies));
    slot.free = done;
    return { done };
  }

  /**
   * The first worker's closing text and -z tables: every other worker hands its tables over
   * and stops (its memory goes before the first adds them up); then every worker has stopped.
   */
  async finish(): Promise<{ text: Uint8Array; statsText: Uint8Array | undefined }> {
    try {
      const [first, ...others] = this.shards;
      const absorb: Uint8Array[] = [];
      for (const shard of others) {
        const r = await shard.ask({ type: 'finish' });
        if (r.type === 'finish' && r.stats) absorb.push(r.stats);
        await shard.worker.terminate();
      }
      const r = await first!.ask(
        { type: 'finish', absorb },
        absorb.map((a) => a.buffer as ArrayBuffer),
      );
      return r.type === 'finish' ? { text: r.text, statsText: r.statsText } : { text: new Uint8Array(), statsText: undefined };
    } finally {
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
  }
}

/** Batches handed out, written in order once every worker has answered. */
class InOrder {
  private readonly pending: Promise<void>[] = [];

  /** Queues `work`; waits for the oldest when too many are out. */
  async add(work: Promise<void>): Promise<void> {
    // A failure surfaces when its turn comes; until then it must not count as unhandled.
    work.catch(() => undefined);
    this.pending.push(work);
    if (this.pending.length >= IN_FLIGHT) await this.pending.shift();
  }

  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }
}

/** What both sharded sinks share: batches handed out in order, their output written in order. */
abstract class ShardedSink {
  private readonly order = new InOrder();
  private written = Promise.resolve();
  /** Batches handed out so far. */
  private batches = 0;
  /**
   * The first batch that failed (its error went to `pump`): the batches before it are written,
   * nothing from it on, as one session would have stopped there.
   */
  private failedAt = Infinity;
  /** A failure went to `pump`: closing reports none again. */
  private reported = false;

  constructor(private readonly pool: ShardPool) {}

  /**
   * Hands the batch to the workers; once they answered, `output` (given the slot and their
   * answers) returns the write to chain after the earlier batches' writes.
   */
  protected async pass(
    batch: FrameBatch,
    count: number,
    source: PacketSource,
    output: (slot: Slot, replies: ShardReply[]) => () => Promise<unknown>,
  ): Promise<number> {
    if (count === 0) return 0;
    const index = this.batches++;
    const first = batch.meta[0]!;
    const last = batch.meta[(count - 1) * META_WORDS]!;
    let done: Promise<void>;
    try {
      ({ done } = await this.pool.submit(batch, count, source, (slot, replies) => {
        const write = output(slot, replies);
        this.written = this.written.then(async () => {
          if (index < this.failedAt) await write();
        });
        return this.written;
      }));
    } catch (e) {
      // Not handed out: nothing from this batch on is written or added up.
      this.failedAt = Math.min(this.failedAt, index);
      this.reported = true;
      throw e;
    }
    const named = done.catch((e: unknown) => {
      this.failedAt = Math.min(this.failedAt, index);
      // A write that failed names the output file itself; a worker's failure, its frames.
      if (e instanceof OutputError) throw e;
      throw new Error(`frames ${first}-${last}: ${e instanceof Error ? e.message : String(e)}`);
    });
    try {
      await this.order.add(named);
    } catch (e) {
      this.reported = true;
      throw e;
    }
    return count;
  }

  /**
   * Waits for every batch's output, then ends the workers: their closing text and tables
   * (none after a failure, which `pass` already reported).
   */
  protected async finishWorkers(): Promise<{ text: Uint8Array; statsText: Uint8Array | undefined }> {
    const none = { text: new Uint8Array(), statsText: undefined };
    try {
      await this.order.drain();
      await this.written;
      // After a failure the workers' tables miss that batch's frames: none is printed.
      if (this.failedAt < Infinity) return none;
      return await this.pool.finish();
    } catch (e) {
      // The batches before a failed one are still written; the failure is reported once, here
      // if `pump` did not see it (it waits for a batch only when too many are out).
      await this.written.catch(() => undefined);
      if (this.reported) return none;
      throw e;
    } finally {
      await this.pool.stop();
    }
  }
}

/** Summary lines or -T fields on stdout, from every shard, in frame order; then the -z tables. */
export class ShardedPrintSink extends ShardedSink implements BatchSink {
  private readonly stdout = new Stdout();

  static async start(count: number, config: OutputConfig, o: Options): Promise<ShardedPrintSink> {
    return new ShardedPrintSink(ShardPool.start(await loadModule(), count, config, displayFilter(o) ?? '', 'print', o.statistics));
  }

  get full(): boolean {
    return this.stdout.closed;
  }

  write(batch: FrameBatch, count: number, source: PacketSource): Promise<number> {
    return this.pass(batch, count, source, (slot, replies) => {
      const text = slot.merge(replies, count);
      return () => this.stdout.writeFully(text);
    });
  }

  async close(): Promise<void> {
    const end = await this.finishWorkers();
    if (end.text.length > 0) await this.stdout.writeFully(end.text);
    if (end.statsText) await this.stdout.writeFully(end.statsText);
  }
}

/** -Y with -w: every shard's verdicts, and the passing frames handed to `inner` in order. */
export class ShardedFilterSink extends ShardedSink implements BatchSink {
  constructor(
    private readonly inner: BatchSink,
    pool: ShardPool,
  ) {
    super(pool);
  }

  static async start(inner: BatchSink, count: number, filter: string, zone: OutputConfig['zone']): Promise<ShardedFilterSink> {
    const config: OutputConfig = { mode: 'quiet', singlePass: true, ...(zone && { zone }) };
    return new ShardedFilterSink(inner, ShardPool.start(await loadModule(), count, config, filter, 'filter'));
  }

  get full(): boolean {
    return this.inner.full;
  }

  write(batch: FrameBatch, count: number, source: PacketSource): Promise<number> {
    // The batch itself is handed back once this resolves: frames are written from the slot.
    const offsets = batch.fileOffset.slice(0, count);
    const asRead = interfacesAsOfNow(source);
    return this.pass(batch, count, source, (slot) => {
      const keep = slot.passed(count);
      const kept = pickFrames({ count, data: slot.data, meta: slot.meta, fileOffset: offsets }, keep);
      return () => this.inner.write(kept, keep.length, asRead);
    });
  }

  async close(): Promise<void> {
    try {
      await this.finishWorkers();
    } finally {
      await this.inner.close();
    }
  }
}

/**
 * `source` with the interfaces it knows now. The source reads on while the workers dissect, so
 * by the time a batch is written it may know interfaces declared after the batch's frames: a
 * pcapng copy must declare them where one session would, after those frames.
 */
function interfacesAsOfNow(source: PacketSource): PacketSource {
  const interfaces = source.interfaces.slice();
  return new Proxy(source, { get: (target, key) => (key === 'interfaces' ? interfaces : Reflect.get(target, key)) });
}
