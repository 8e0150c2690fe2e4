import { writeSync } from 'node:fs';

/**
 * Writes to stdout with back-pressure, and ends quietly when the reader goes away
 * (`reef-cli -r big.pcap | head` must not print an EPIPE stack).
 */
export class Stdout {
  closed = false;

  constructor() {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed || bytes.length === 0) return;
    if (!process.stdout.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          process.stdout.off('drain', done);
          process.stdout.off('error', done);
          resolve();
        };
        process.stdout.once('drain', done);
        process.stdout.once('error', done);
      });
    }
  }

  /** `write`, resolving only once stdout is done with `bytes` (so they may be reused). */
  async writeFully(bytes: Uint8Array): Promise<void> {
    if (this.closed || bytes.length === 0) return;
    await new Promise<void>((resolve) => {
      // The callback also comes on an error, which the 'error' listener handles.
      process.stdout.write(bytes, () => resolve());
    });
  }
}

/** One line on stderr, synchronously (before exit). */
export function warn(line: string): void {
  writeSync(2, line.endsWith('\n') ? line : line + '\n');
}
