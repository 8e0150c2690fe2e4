/**
 * @reef/dissect for Node: Reef's Rust dissection core as WebAssembly, behind a typed facade.
 *
 *   const dissector = await loadDissector();
 *   const session = dissector.openSession();
 *   for await (const batch of source) process.stdout.write(session.ingest(batch, { summaries: true })!);
 *   session.close();
 */
import { readFile } from 'node:fs/promises';
import { instantiateDissector, type Dissector } from './session.js';

export * from './errors.js';
export * from './types.js';
export { Dissector, Session, instantiateDissector } from './session.js';

/** Where the bundled module lives. */
export const wasmUrl = new URL('../wasm/reef_dissect.wasm', import.meta.url);

let cached: Promise<Dissector> | undefined;

/** Loads the bundled module (once per process) or one given as bytes. */
export function loadDissector(bytes?: BufferSource): Promise<Dissector> {
  if (bytes) return instantiateDissector(bytes);
  cached ??= readFile(wasmUrl).then((b) => instantiateDissector(b));
  return cached;
}
