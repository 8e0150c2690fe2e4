/**
 * The dissection worker: reads the capture and owns the session, so the page stays responsive
 * while a large file is dissected. It uses @reef/dissect's browser entry as any worker would.
 */
import { loadDissector, localZone, openCapture, type Capture } from '@reef/dissect';
import wasmUrl from '@reef/dissect/reef_dissect.wasm?url';
import type { Ops, Request, Response } from './protocol.js';

const dissector = loadDissector(wasmUrl);
let capture: Capture | undefined;

function live(): Capture {
  if (!capture) throw new Error('no capture is open');
  return capture;
}

const handlers: { [K in keyof Ops]: (args: Ops[K][0]) => Ops[K][1] | Promise<Ops[K][1]> } = {
  async open({ bytes, name }) {
    let data = new Uint8Array(bytes);
    if (data[0] === 0x1f && data[1] === 0x8b) {
      data = new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    }
    capture?.dispose();
    capture = undefined;
    // Arrival times in the viewer's local zone, as Wireshark shows them.
    capture = openCapture(await dissector, data, { name, zone: localZone() });
    return {
      frameCount: capture.frameCount,
      format: capture.format ?? '',
      ...(capture.truncation ? { truncation: capture.truncation.message } : {}),
      rules: capture.colorRules(),
    };
  },
  rows: ({ start, count }) => ({ rows: live().rows(start, count), colors: live().colors(start, count) }),
  details: ({ index }) => live().details(index),
  check: ({ filter }) => live().checkFilter(filter),
  matches: ({ filter }) => live().matches(filter),
};

const post = (msg: Response, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(msg, transfer);

self.addEventListener('message', async (e: MessageEvent<Request>) => {
  const { id, op, args } = e.data;
  try {
    const result = await (handlers[op] as (a: typeof args) => unknown)(args);
    post({ id, result });
  } catch (err) {
    const { name, message } = err instanceof Error ? err : { name: 'Error', message: String(err) };
    post({ id, error: { name, message } });
  }
});
