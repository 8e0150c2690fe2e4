/**
 * @reef/dissect for browsers and Web Workers: no Node built-ins are reached from this entry.
 *
 *   import { loadDissector, openCapture } from '@reef/dissect';
 *   const dissector = await loadDissector();               // the bundled .wasm, fetched
 *   const capture = openCapture(dissector, new Uint8Array(await file.arrayBuffer()));
 *   capture.rows(0, 50);
 */
import type { Dissector } from './session.js';
import { instantiateFrom, type WasmSource } from './load.js';
import type { ZoneSpec } from './types.js';
import { zoneFromRuntime } from './zone.js';

export * from './common.js';

let zone: ZoneSpec | undefined;

/** The browser's local zone for `Config.zone` (abbreviations as `Intl` names them). */
export function localZone(): ZoneSpec {
  zone ??= zoneFromRuntime(new Date());
  return zone;
}

/** Where the bundled module lives (next to this package's dist/). Bundlers (Vite, webpack 5) copy it. */
export const wasmUrl = new URL('../wasm/reef_dissect.wasm', import.meta.url);

let cached: Promise<Dissector> | undefined;

/**
 * Loads the module: the bundled one (fetched from `wasmUrl`, once per page or worker), or one
 * given as bytes, a compiled `WebAssembly.Module`, a URL or a fetch `Response`.
 */
export function loadDissector(source?: WasmSource): Promise<Dissector> {
  if (source !== undefined) return instantiateFrom(source);
  cached ??= instantiateFrom(fetch(wasmUrl));
  return cached;
}
