/**
 * The host's side of the ABI: the module imports one function, `reef.reef_host_frame`, through
 * which a session whose host keeps every frame (`Session.handBackFrames`) gets one back, so the
 * core need not keep copies of reassembled TCP bytes. No Node built-ins: browsers use it too.
 */
import type { RawExports } from './exports.js';

/** Frame `number` (1-based, ingest order) as it was ingested, or undefined if it cannot be had. */
export type FrameLookup = (number: number) => Uint8Array | undefined;

export interface Host {
  /** What to pass to `WebAssembly.instantiate`. */
  imports: WebAssembly.Imports;
  /** Frame lookups by session handle. */
  sources: Map<number, FrameLookup>;
  /** Connects the imports to the instance's memory, once instantiated. */
  bind(raw: RawExports): void;
}

export function makeHost(): Host {
  const sources = new Map<number, FrameLookup>();
  let memory: WebAssembly.Memory | undefined;
  const reef_host_frame = (session: number, number: number, dst: number, cap: number): number => {
    const lookup = sources.get(session);
    let bytes: Uint8Array | undefined;
    try {
      bytes = lookup?.(number);
    } catch {
      // An unreadable file: the core shows the frame without that reassembled PDU.
      bytes = undefined;
    }
    if (!bytes || !memory) return -1;
    // The view is made now: memory may have grown since the last call.
    if (bytes.length <= cap) new Uint8Array(memory.buffer, dst, bytes.length).set(bytes);
    return bytes.length;
  };
  return {
    imports: { reef: { reef_host_frame } },
    sources,
    bind(raw) {
      memory = raw.memory;
    },
  };
}
