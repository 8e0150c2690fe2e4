/** The page's side of the dissection worker: one promise per request. */
import type { Ops, Request, Response } from './protocol.js';

/** An error raised in the worker (its name survives: CaptureFormatError, FilterSyntaxError...). */
export class WorkerError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export class DissectClient {
  private readonly worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  private next = 1;

  constructor() {
    this.worker.addEventListener('message', (e: MessageEvent<Response>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if ('error' in e.data) p.fail(new WorkerError(e.data.error.name, e.data.error.message));
      else p.ok(e.data.result);
    });
    this.worker.addEventListener('error', (e) => {
      for (const p of this.pending.values()) p.fail(new Error(`dissection worker failed: ${e.message}`));
      this.pending.clear();
    });
  }

  call<K extends keyof Ops>(op: K, args: Ops[K][0], transfer: Transferable[] = []): Promise<Ops[K][1]> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.worker.postMessage({ id, op, args } as Request, transfer);
    });
  }
}
