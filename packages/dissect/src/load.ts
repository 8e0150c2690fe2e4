/** Loading the wasm module from whatever the host has: bytes, a compiled module, a URL or a fetch response. */
import { instantiateDissector, Dissector } from './session.js';
import type { RawExports } from './exports.js';
import { makeHost } from './host.js';

/** Where the module comes from. A string is a URL (relative to the page in browsers; in Node a path too). */
export type WasmSource = BufferSource | WebAssembly.Module | Response | PromiseLike<Response> | URL | string;

/** Instantiates the module from any source a browser or worker has (no Node built-ins used). */
export async function instantiateFrom(source: WasmSource): Promise<Dissector> {
  if (source instanceof WebAssembly.Module) {
    const host = makeHost();
    const instance = await WebAssembly.instantiate(source, host.imports);
    return new Dissector(instance.exports as unknown as RawExports, host);
  }
  if (typeof source === 'string' || source instanceof URL) return instantiateFrom(fetch(source));
  if (isBufferSource(source)) return instantiateDissector(source);
  const response = await source;
  if (!response.ok) throw new Error(`@reef/dissect: cannot load the wasm module from ${response.url}: HTTP ${response.status}`);
  // Streaming compilation needs the server's application/wasm type; fall back to the bytes.
  if (typeof WebAssembly.instantiateStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    const host = makeHost();
    const { instance } = await WebAssembly.instantiateStreaming(response, host.imports);
    return new Dissector(instance.exports as unknown as RawExports, host);
  }
  return instantiateDissector(await response.arrayBuffer());
}

function isBufferSource(x: unknown): x is BufferSource {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}
