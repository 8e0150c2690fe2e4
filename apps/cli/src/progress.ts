/**
 * Progress of a long read, on stderr, when someone is watching it: stderr is a terminal and
 * the packets are not printed on that terminal (stdout goes to a file, or nothing is
 * printed: -w, -q). One line, rewritten at most four times a second from the first second
 * on, and erased before anything else is written to stderr and at the end. Silent otherwise.
 */
import type { PacketSource } from '@reef/capture';
import { fstatSync, statSync } from 'node:fs';

/** From when a read counts as long (REEF_PROGRESS_DELAY_MS overrides it, for tests). */
const DELAY_MS = 1000;
const EVERY_MS = 250;

export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  private constructor(
    private readonly totalBytes: number | undefined,
    private readonly delayMs: number,
  ) {}

  /** A reporter for reading `file`, or undefined when nobody would see it. */
  static start(file: string, source: PacketSource, printsToStdout: boolean): Progress | undefined {
    if (!process.stderr.isTTY || (printsToStdout && !stdoutIsFile())) return undefined;
    let total: number | undefined;
    try {
      const st = statSync(file);
      // Offsets of a gzip source count decompressed bytes: no fraction of the file then.
      if (st.isFile() && !source.gzip) total = st.size;
    } catch {
      total = undefined;
    }
    const forced = Number(process.env['REEF_PROGRESS_DELAY_MS']);
    return new Progress(total, Number.isFinite(forced) && forced >= 0 ? forced : DELAY_MS);
  }

  /** After each batch: `frames` read so far, the last one's record at byte `offset`. */
  update(frames: number, offset: number): void {
    const now = Date.now();
    if (now - this.started < this.delayMs || now - this.last < EVERY_MS) return;
    this.last = now;
    const seconds = ((now - this.started) / 1000).toFixed(1);
    const part = this.totalBytes && offset >= 0 ? `, ${Math.min(100, Math.floor((100 * offset) / this.totalBytes))}% of ${(this.totalBytes / 1e6).toFixed(0)} MB` : '';
    process.stderr.write(`\r\x1b[Kreef-cli: ${frames} packets read${part}, ${seconds} s`);
    this.shown = true;
  }

  /** Erases the line (before a message, and at the end). */
  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * Whether printed packets go to a file (or /dev/null), not to a terminal or a pipe: a pipe
 * may well end on the same terminal (`| less`), which the line would draw over.
 */
function stdoutIsFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && !process.stdout.isTTY);
  } catch {
    return false;
  }
}
