/**
 * Drives the real reef binary in a real terminal: a private tmux server, keys in through
 * `send-keys`, the screen out through `capture-pane`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const REEF_BIN = new URL('../bin/reef.js', import.meta.url).pathname;

/** Waits up to this long for the screen to show what a test expects (CI machines are slow). */
export const WAIT_MS = 15_000;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class Tmux {
  private sessions = 0;

  constructor(readonly socket: string) {}

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /**
   * Starts `reef ARGS` in a new session of the given size; its exit status lands in `exitFile`.
   * NCURSES_NO_UTF8_ACS is unset so the program has to set it itself.
   */
  start(args: string[], exitFile: string, size: { cols: number; rows: number } = { cols: 120, rows: 40 }, stdinFile?: string, env: Record<string, string> = {}): TmuxSession {
    const name = `reef${++this.sessions}`;
    const cmd = [
      // A capture piped in on stdin, as `tcpdump -w - | reef`.
      stdinFile ? `cat ${shellQuote(stdinFile)} |` : '',
      'env -u NCURSES_NO_UTF8_ACS LANG=C.UTF-8',
      ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
      'node',
      shellQuote(REEF_BIN),
      ...args.map(shellQuote),
      `; echo EXIT=$? > ${shellQuote(exitFile)}`,
    ].join(' ');
    this.tmux('new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), cmd);
    return new TmuxSession(this, name, exitFile);
  }

  /**
   * Starts the server with an idle session that keeps it alive, so killing a test's session never
   * shuts the server down while the next test is starting one (tmux: "server exited unexpectedly").
   */
  startServer(): void {
    this.killServer();
    this.tmux('new-session', '-d', '-s', 'keepalive', 'sleep 86400');
  }

  killServer(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // No server left: nothing to clean up.
    }
  }
}

export class TmuxSession {
  constructor(
    private readonly t: Tmux,
    readonly name: string,
    readonly exitFile: string,
  ) {}

  /** The screen as text (`escapes`: with SGR color sequences). */
  screen(escapes = false): string {
    try {
      return this.t.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name);
    } catch {
      return '';
    }
  }

  keys(...keys: string[]): void {
    this.t.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Types `text` literally (also raw terminal input such as an SGR mouse report). */
  type(text: string): void {
    this.t.tmux('send-keys', '-t', this.name, '-l', text);
  }

  resize(cols: number, rows: number): void {
    this.t.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /** Polls the screen until `test` holds; returns that screen, or throws showing the last one. */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), what = String(test), escapes = false): Promise<string> {
    const ok = typeof test === 'function' ? test : typeof test === 'string' ? (s: string) => s.includes(test) : (s: string) => test.test(s);
    const deadline = Date.now() + WAIT_MS;
    let last = '';
    for (;;) {
      last = this.screen(escapes);
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
      await sleep(50);
    }
  }

  /** Line `n` (0-based) from the bottom of the screen. */
  lineFromBottom(screen: string, n: number): string {
    const lines = screen.replace(/\n+$/, '').split('\n');
    return lines[lines.length - 1 - n] ?? '';
  }

  /** Waits for the program to end; returns what it wrote to the exit file (`EXIT=n`). */
  async exitStatus(): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      if (existsSync(this.exitFile)) {
        const text = readFileSync(this.exitFile, 'utf8').trim();
        if (text) return text;
      }
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${this.exitFile}; screen was:\n${this.screen()}`);
  }

  kill(): void {
    try {
      this.t.tmux('kill-session', '-t', this.name);
    } catch {
      // Already gone (the program exited).
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
