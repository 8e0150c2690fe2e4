/**
 * The `:` command line's commands (termshark's minibuffer): one table drives running them, tab
 * completion and the help.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { COLOR_DEPTHS } from '../state/colors.js';
import { LAYOUTS } from './layout.js';

/** The views opened over the panes (MainView's methods), by keys (key-table.ts) and commands. */
export type ViewName = 'openConversations' | 'openFollow' | 'openFlow' | 'openCapinfo' | 'openExpert' | 'openHierarchy';

/** What the commands need from the screen (MainView's controls). */
export interface CommandHost {
  loadFile(path: string): void;
  applyFilter(text: string): void;
  showMarks(): void;
  setOption(key: string, value: string): void;
  openView(name: ViewName): void;
  quitNow(): void;
  showHelp(): void;
  /** Field completions for a display filter being typed. */
  completeFilter(text: string): { start: number; words: string[] };
  say(message: string, error?: boolean): void;
}

export interface Command {
  names: string[];
  args?: string;
  help: string;
  run(host: CommandHost, args: string): void;
  /** Candidates for the argument text typed so far; `start` is where the replaced word begins. */
  complete?(host: CommandHost, args: string): { start: number; words: string[] };
}

/** `set` keys and their values. */
export const SETTINGS: Record<string, readonly string[]> = {
  layout: LAYOUTS,
  colors: ['on', 'off', ...COLOR_DEPTHS],
};

function completeWord(arg: string, words: readonly string[]): { start: number; words: string[] } {
  const start = arg.lastIndexOf(' ') + 1;
  const word = arg.slice(start);
  return { start, words: words.filter((w) => w.startsWith(word)) };
}

/** File names completing `arg` (directories end with `/`). */
function completePath(arg: string): { start: number; words: string[] } {
  const dir = arg.endsWith('/') ? arg : dirname(arg);
  const prefix = arg.endsWith('/') ? '' : basename(arg);
  try {
    const words = readdirSync(dir === '' ? '.' : dir)
      .filter((n) => n.startsWith(prefix) && (prefix.startsWith('.') || !n.startsWith('.')))
      .sort()
      .map((n) => {
        const path = arg.includes('/') ? join(dir, n) : n;
        try {
          return statSync(path).isDirectory() ? `${path}/` : path;
        } catch {
          return path;
        }
      });
    return { start: 0, words };
  } catch {
    return { start: 0, words: [] };
  }
}

const view = (name: ViewName) => (h: CommandHost) => h.openView(name);

export const COMMANDS: Command[] = [
  {
    names: ['load', 'r', 'e'],
    args: 'FILE',
    help: 'open another capture file',
    run: (h, a) => (a ? h.loadFile(a) : h.say('load: give a file name', true)),
    complete: (_h, a) => completePath(a),
  },
  {
    names: ['filter'],
    args: 'EXPR',
    help: 'apply a display filter',
    run: (h, a) => h.applyFilter(a),
    complete: (h, a) => h.completeFilter(a),
  },
  { names: ['clear-filter'], help: 'clear the display filter', run: (h) => h.applyFilter('') },
  { names: ['marks'], help: 'list the marked packets', run: (h) => h.showMarks() },
  {
    names: ['set'],
    args: 'KEY VALUE',
    help: `settings: ${Object.entries(SETTINGS).map(([k, v]) => `${k} ${v.join('|')}`).join('; ')}`,
    run: (h, a) => {
      const [key = '', value = ''] = a.trim().split(/\s+/);
      if (!(key in SETTINGS)) return h.say(`set: unknown setting "${key}" (${Object.keys(SETTINGS).join(', ')})`, true);
      if (!SETTINGS[key]!.includes(value)) return h.say(`set ${key}: one of ${SETTINGS[key]!.join(', ')}`, true);
      h.setOption(key, value);
    },
    complete: (_h, a) => {
      const words = a.split(' ');
      return words.length <= 1 ? completeWord(a, Object.keys(SETTINGS)) : completeWord(a, SETTINGS[words[0]!] ?? []);
    },
  },
  { names: ['capinfo'], help: 'capture file properties', run: view('openCapinfo') },
  { names: ['convs'], help: 'conversations', run: view('openConversations') },
  { names: ['streams'], help: 'follow the selected packet\'s TCP/UDP stream', run: view('openFollow') },
  { names: ['flow'], help: 'the selected TCP stream as a ladder (handshake and states)', run: view('openFlow') },
  { names: ['expert'], help: 'expert information summary', run: view('openExpert') },
  { names: ['hierarchy', 'phs'], help: 'protocol hierarchy', run: view('openHierarchy') },
  { names: ['help'], help: 'keys and commands', run: (h) => h.showHelp() },
  { names: ['quit', 'q', 'q!'], help: 'quit without asking (a live capture in a temporary file is still offered for keeping)', run: (h) => h.quitNow() },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.names.includes(name));
}

/** Runs a command line; says what is wrong with it. */
export function runCommandLine(host: CommandHost, line: string): void {
  const text = line.trim();
  if (!text) return;
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  const cmd = findCommand(m[1]!);
  if (!cmd) return host.say(`unknown command "${m[1]}" (tab lists them; :help)`, true);
  cmd.run(host, m[2]!);
}

/** Tab on the command line: the candidates for the word before the cursor. */
export function completeCommandLine(host: CommandHost, before: string): { start: number; words: string[] } {
  const m = /^(\S*)$/.exec(before);
  if (m) return completeWord(before, COMMANDS.flatMap((c) => c.names).filter((n) => n !== 'r' && n !== 'e' && n !== 'q!'));
  const cmd = /^(\S+)\s+(.*)$/.exec(before);
  const c = cmd && findCommand(cmd[1]!);
  if (!c?.complete) return { start: before.length, words: [] };
  const argStart = before.length - cmd![2]!.length;
  const r = c.complete(host, cmd![2]!);
  return { start: argStart + r.start, words: r.words };
}
