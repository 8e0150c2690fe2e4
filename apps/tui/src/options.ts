/**
 * reef's options, declared once: this table drives parsing and `-h`. Unknown options are
 * errors (exit 1), never silently ignored.
 */

/** tshark's -t formats (crates/dissect/src/print/time.rs). */
export const TIME_FORMATS = ['a', 'ad', 'adoy', 'd', 'dd', 'e', 'r', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export interface Options {
  readFile?: string;
  /** -i, repeatable: live capture on these interfaces (names, -D numbers, lo0). */
  interfaces: string[];
  /** -f, or the words after the options with -i. */
  captureFilter?: string;
  /** -w: also write the live capture to this file (pcapng). */
  writeFile?: string;
  /** -s */
  snaplen?: number;
  /** -p clears it. */
  promiscuous: boolean;
  /** -Y, or the word after the options with -r: the display filter to start with. */
  displayFilter?: string;
  /** -t: tshark's Time column format. */
  timeFormat?: TimeFormat;
  /** -D */
  listInterfaces: boolean;
  help: boolean;
  version: boolean;
}

interface OptionSpec {
  flag: string;
  arg?: string;
  help: string;
  apply(o: Options, value: string): void;
}

export const OPTIONS: OptionSpec[] = [
  { flag: '-r', arg: '<file>', help: 'read packets from a pcap or pcapng file (gzip ok); - or a pipe on stdin reads stdin', apply: (o, v) => void (o.readFile = v) },
  { flag: '-i', arg: '<interface>', help: 'capture live on an interface (name or -D number; repeatable; lo0 means lo)', apply: (o, v) => void o.interfaces.push(v) },
  { flag: '-f', arg: '<capture filter>', help: 'BPF capture filter for -i (or give it after the options)', apply: (o, v) => void (o.captureFilter = v) },
  { flag: '-w', arg: '<outfile>', help: 'with -i: also write the packets to this pcapng file', apply: (o, v) => void (o.writeFile = v) },
  {
    flag: '-s',
    arg: '<snaplen>',
    help: 'with -i: bytes kept per packet (default 262144)',
    apply: (o, v) => {
      if (!/^[0-9]+$/.test(v)) throw new UsageError(`invalid snapshot length "${v}"`);
      o.snaplen = Number(v);
    },
  },
  {
    flag: '-Y',
    arg: '<display filter>',
    help: 'start with this Wireshark display filter (with -r it may also follow the file)',
    apply: (o, v) => void (o.displayFilter = v),
  },
  {
    flag: '-t',
    arg: 'a|ad|adoy|d|dd|e|r|u|ud|udoy',
    help: 'format of the Time column, as tshark -t (default r: since the first packet)',
    apply: (o, v) => {
      if (!(TIME_FORMATS as readonly string[]).includes(v)) throw new UsageError(`invalid time stamp type "${v}"; it must be one of: ${TIME_FORMATS.join(', ')}`);
      o.timeFormat = v as TimeFormat;
    },
  },
  { flag: '-p', help: 'with -i: do not put the interface in promiscuous mode', apply: (o) => void (o.promiscuous = false) },
  { flag: '-D', help: 'list the capture interfaces and exit', apply: (o) => void (o.listInterfaces = true) },
  { flag: '-h', help: 'display this help and exit', apply: (o) => void (o.help = true) },
  { flag: '-v', help: 'display the version and exit', apply: (o) => void (o.version = true) },
];

export class UsageError extends Error {}

/** Parses argv (without node and script); a single bare word is the file, as with termshark. */
export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { interfaces: [], promiscuous: true, listInterfaces: false, help: false, version: false };
  // `pnpm --filter tui start -- -r x` passes a literal `--` first.
  const args = argv[0] === '--' ? argv.slice(1) : argv.slice();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const word = a === '--help' ? '-h' : a === '--version' ? '-v' : a;
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const spec = OPTIONS.find((s) => s.flag === word.slice(0, 2));
    if (!spec || word.startsWith('--')) throw new UsageError(`invalid option -- '${word.replace(/^-+/, '')}'`);
    let value = '';
    if (spec.arg) {
      if (word.length > 2) value = word.slice(2);
      else if (i + 1 < args.length) value = args[++i]!;
      else throw new UsageError(`option requires an argument -- '${spec.flag.slice(1)}'`);
    } else if (word.length > 2) {
      throw new UsageError(`invalid option -- '${word.slice(1)}'`);
    }
    spec.apply(o, value);
  }
  if (o.interfaces.length > 0) {
    // As tshark and termshark: with -i, the words after the options are the capture filter.
    if (o.readFile !== undefined) throw new UsageError('-r and -i cannot be used together');
    if (positional.length > 0) {
      if (o.captureFilter !== undefined) throw new UsageError('a capture filter was given both with -f and after the options');
      o.captureFilter = positional.join(' ');
    }
    return o;
  }
  if (o.writeFile !== undefined) throw new UsageError('-w needs a live capture (-i)');
  // As tshark and termshark: with -r, the words after the options are the display filter;
  // without -r, a single word is the file.
  if (o.readFile === undefined && positional.length > 0) o.readFile = positional.shift();
  if (positional.length > 0) {
    if (o.displayFilter !== undefined) throw new UsageError('a display filter was given both with -Y and after the options');
    o.displayFilter = positional.join(' ');
  }
  return o;
}

export function helpText(version: string): string {
  const lines = [`reef ${version}: a terminal packet analyzer.`, '', 'Usage: reef [-r] <file> [display filter]   |   reef -i <interface> [-w <outfile>] [capture filter]   |   cmd | reef', ''];
  for (const s of OPTIONS) lines.push(`  ${s.flag}${s.arg ? ' ' + s.arg : ''}`.padEnd(18) + s.help);
  lines.push('', 'In the program, press ? for the keys.');
  return lines.join('\n') + '\n';
}
