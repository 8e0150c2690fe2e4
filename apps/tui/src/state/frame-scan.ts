/**
 * A pass over many stored frames done in slices, so keys and redraws get in between: applying
 * a display filter to every frame, or searching. Cancellable; reports how far it got.
 */

/** Frames handled per slice before yielding to the event loop. */
export const SLICE_FRAMES = 4096;
/** Progress is reported (and the screen redrawn) at most this often: a redraw per slice would cost a tenth of the pass. */
export const PROGRESS_MS = 100;

export interface ScanProgress {
  /** What is running, for the status bar ("Filtering", "Searching"). */
  what: string;
  done: number;
  total: number;
}

export class FrameScan {
  private stopped = false;

  constructor(readonly what: string) {}

  get cancelled(): boolean {
    return this.stopped;
  }

  cancel(): void {
    this.stopped = true;
  }

  /**
   * Calls `step(from, to)` over `0 .. total()` (re-read each slice: frames keep arriving while
   * loading) in slices; resolves true when it reached the end, false when cancelled or when
   * `step` returned true (found what it looked for).
   */
  async run(start: number, total: () => number, step: (from: number, to: number) => boolean | void, progress: (p: ScanProgress) => void): Promise<boolean> {
    let at = start;
    let reported = 0;
    for (;;) {
      if (this.stopped) return false;
      const end = Math.min(total(), at + SLICE_FRAMES);
      if (at >= end) return true;
      if (step(at, end) === true) return false;
      at = end;
      const now = Date.now();
      if (now - reported >= PROGRESS_MS) {
        reported = now;
        progress({ what: this.what, done: at, total: total() });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
