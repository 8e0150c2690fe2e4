/**
 * One worker thread of a sharded single pass (parallel.ts): its own wasm core and session,
 * configured for shard `index` of `count`. It is handed every batch, dissects the frames of
 * its shard, only counts the others, and answers each batch in order: the text and where each
 * frame's part ends (print), or one verdict byte per frame (filter).
 */
import { loadDissector, type OutputConfig, type Session, type WasmSource } from '@reef/dissect';
import { parentPort, workerData } from 'node:worker_threads';
import { linePieces } from './parallel.js';

export interface ShardInit {
  config: OutputConfig;
  filter: string;
  kind: 'print' | 'filter';
  /** -z requests, all conversation or endpoint tables: exported at the end for the main thread. */
  statistics: readonly string[];
  /** The main thread's compiled core, whose code every worker shares. */
  module: WasmSource;
}

/**
 * A batch lives in shared memory the main thread reuses (parallel.ts's Slot): the frames'
 * bytes and metadata, and this worker's places for its answer (`text`, `ends`), so
 * nothing is allocated per batch on either side.
 */
export type ShardRequest =
  | {
      type: 'batch';
      count: number;
      data: Uint8Array;
      meta: Uint32Array;
      text: Uint8Array;
      ends: Uint32Array;
      capture?: OutputConfig['capture'];
    }
  /**
   * The end. With statistics, a worker hands back its tables (`stats`), except the first:
   * given every other worker's (`absorb`), it adds them up and prints them (`statsText`).
   */
  | { type: 'finish'; absorb?: Uint8Array[] };

/** `grown`: the text did not fit in the slot's place, so it is in this new shared buffer. */
export type ShardReply =
  | { type: 'print'; length: number; grown?: Uint8Array }
  | { type: 'filter' }
  | { type: 'finish'; text: Uint8Array; stats?: Uint8Array; statsText?: Uint8Array }
  | { type: 'error'; message: string };

/** Bytes of another worker's tables added up at a time (`linePieces`). */
const ABSORB_PIECE = 4 << 20;

const port = parentPort!;
const init = workerData as ShardInit;
let session: Session | undefined;

async function start(): Promise<Session> {
  const s = (await loadDissector(init.module)).openSession();
  s.configure(init.config);
  s.setDisplayFilter(init.filter);
  if (init.statistics.length > 0) s.startStats(init.statistics);
  return s;
}

const ready = start();
let config = init.config;

port.on('message', (msg: ShardRequest) => {
  void ready.then(
    (s) => {
      session = s;
      try {
        port.postMessage(...answer(s, msg));
      } catch (e) {
        port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ShardReply);
      }
    },
    (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ShardReply),
  );
});

function answer(s: Session, msg: ShardRequest): [ShardReply, ArrayBuffer[]] {
  if (msg.type === 'finish') {
    const text = s.finish();
    let reply: ShardReply = { type: 'finish', text };
    if (init.statistics.length > 0 && msg.absorb) {
      for (const e of msg.absorb) for (const piece of linePieces(e, ABSORB_PIECE)) s.absorbStats(piece);
      reply = { ...reply, statsText: s.statsText() };
    } else if (init.statistics.length > 0) {
      reply = { ...reply, stats: s.exportStats() };
    }
    s.close();
    session = undefined;
    // Handed over, not copied: tables of a large capture are tens of MB.
    const moved = [reply.text, reply.stats, reply.statsText].flatMap((b) => (b ? [b.buffer as ArrayBuffer] : []));
    return [reply, moved];
  }
  if (msg.capture) {
    config = { ...config, capture: msg.capture };
    s.configure(config);
  }
  const batch = { count: msg.count, data: msg.data, meta: msg.meta };
  if (init.kind === 'filter') {
    // One verdict byte per frame, in the place for frame ends.
    new Uint8Array(msg.ends.buffer, msg.ends.byteOffset, msg.count).set(s.ingestFiltered(batch));
    return [{ type: 'filter' }, []];
  }
  const { text, ends } = s.ingestShard(batch, { text: msg.text, ends: msg.ends });
  if (ends.buffer !== msg.ends.buffer) msg.ends.set(ends);
  if (text.buffer === msg.text.buffer) return [{ type: 'print', length: text.length }, []];
  const grown = new Uint8Array(new SharedArrayBuffer(Math.ceil(text.length * 1.5)));
  grown.set(text);
  return [{ type: 'print', length: text.length, grown }, []];
}

process.on('exit', () => session?.close());
