/**
 * SIGINT and SIGTERM stop reef-cli cleanly: installed first thing, so even a signal during
 * start-up is seen, and a capture being written ends on a whole record with its trailer.
 */
let requested = false;
let installed = false;
const listeners = new Set<() => void>();

/** Idempotent: the bin shim calls it before loading anything else, main() again. */
export function installStopSignals(): void {
  if (installed) return;
  installed = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      requested = true;
      for (const fn of listeners) fn();
    });
  }
}

/** Calls `fn` on a stop signal (at once if one came already); returns the unsubscribe. */
export function onStop(fn: () => void): () => void {
  listeners.add(fn);
  if (requested) fn();
  return () => void listeners.delete(fn);
}

export function stopRequested(): boolean {
  return requested;
}
