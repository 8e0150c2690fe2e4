/**
 * @reef/dissect for Node: Reef's Rust dissection core as WebAssembly, behind a typed facade.
 *
 *   const dissector = await loadDissector();
 *   const capture = openCapture(dissector, await readFile('trace.pcapng'));
 *   console.log(capture.frameCount, capture.rows(0, 10));
 *   capture.dispose();
 */
import { readFile } from 'node:fs/promises';
import type { Dissector } from './session.js';
import { instantiateFrom, type WasmSource } from './load.js';

export * from './common.js';
export { localZone } from './zone-node.js';

/** Where the bundled module lives. */
export const wasmUrl = new URL('../wasm/reef_dissect.wasm', import.meta.url);

let cached: Promise<Dissector> | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The bundled module, compiled once per process. Hand it to worker threads (`workerData`,
 * `postMessage`) for their `loadDissector(module)`: they then share its compiled code instead
 * of each compiling and optimizing the same functions again.
 */
export function loadModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(wasmUrl).then((b) => WebAssembly.compile(b));
  return compiled;
}

/**
 * Loads the module: the bundled file (once per process), or one given as bytes, a compiled
 * `WebAssembly.Module`, a fetch `Response`, a `file:` or `http(s):` URL, or a file path.
 */
export function loadDissector(source?: WasmSource): Promise<Dissector> {
  if (source === undefined) {
    cached ??= loadModule().then((m) => instantiateFrom(m));
    return cached;
  }
  if (source instanceof URL && source.protocol === 'file:') return readFile(source).then((b) => instantiateFrom(b));
  if (typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return readFile(source).then((b) => instantiateFrom(b));
  return instantiateFrom(source);
}
