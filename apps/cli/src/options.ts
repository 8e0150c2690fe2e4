/**
 * reef-cli's options, declared once: this table drives parsing and `--help`. Only options that
 * are implemented appear here; tshark's other options are rejected as unknown (exit 1), never
 * silently ignored.
 */

export interface Options {
  readFile?: string;
  count?: number;
  glossary?: string;
  help: boolean;
  version: boolean;
  /** Positional words: the display filter with -r (not supported yet: rejected). */
  positional: string[];
}

interface OptionSpec {
  flag: string;
  arg?: string;
  help: string;
  apply(o: Options, value: string): string | void;
}

export const OPTIONS: OptionSpec[] = [
  {
    flag: '-r',
    arg: '<infile|->',
    help: 'read packets from a pcap/pcapng file (gzip ok); - reads stdin',
    apply: (o, v) => void (o.readFile = v),
  },
  {
    flag: '-c',
    arg: '<packet count>',
    help: 'stop after n packets',
    apply: (o, v) => {
      if (!/^[1-9][0-9]*$/.test(v)) return `The specified packet count "${v}" isn't a valid positive number`;
      o.count = Number(v);
    },
  },
  {
    flag: '-n',
    help: 'disable all name resolutions (Reef never resolves names; accepted for tshark command lines)',
    apply: () => {},
  },
  {
    flag: '-G',
    arg: '[fields]',
    help: 'dump the field registry (tshark -G fields format) and exit',
    apply: (o, v) => {
      if (v !== 'fields') return `Invalid -G report "${v}"; only "fields" is available`;
      o.glossary = v;
    },
  },
  { flag: '-h', help: 'display this help and exit', apply: (o) => void (o.help = true) },
  { flag: '-v', help: 'display version info and exit', apply: (o) => void (o.version = true) },
];

export class UsageError extends Error {}

/** Parses argv (without node and script). Throws UsageError with tshark-style text. */
export function parseArgs(argv: string[]): Options {
  const o: Options = { help: false, version: false, positional: [] };
  // pnpm passes a literal `--` when called as `pnpm start -- -r x`.
  const args = argv[0] === '--' ? argv.slice(1) : argv.slice();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help') a.replace(a, '-h');
    const word = a === '--help' ? '-h' : a === '--version' ? '-v' : a;
    if (!word.startsWith('-') || word === '-') {
      o.positional.push(word);
      continue;
    }
    const flag = word.slice(0, 2);
    const spec = OPTIONS.find((s) => s.flag === flag);
    if (!spec) throw new UsageError(`invalid option -- '${word.replace(/^-+/, '')}'`);
    let value = '';
    if (spec.arg) {
      const optional = spec.arg.startsWith('[');
      if (word.length > 2) value = word.slice(2);
      else if (i + 1 < args.length && !(optional && args[i + 1]!.startsWith('-'))) value = args[++i]!;
      else if (optional) value = spec.arg.slice(1, -1);
      else throw new UsageError(`option requires an argument -- '${flag.slice(1)}'`);
    } else if (word.length > 2) {
      throw new UsageError(`invalid option -- '${word.slice(1)}'`);
    }
    const err = spec.apply(o, value);
    if (err) throw new UsageError(err);
  }
  return o;
}

export function helpText(version: string): string {
  const lines = [
    `reef-cli ${version}: tshark-compatible packet decoding, powered by Reef's WebAssembly dissector.`,
    '',
    'Usage: reef-cli [options] ...',
    '',
  ];
  for (const s of OPTIONS) {
    const left = `  ${s.flag}${s.arg ? ' ' + s.arg : ''}`;
    lines.push(left.padEnd(26) + s.help);
  }
  lines.push('', 'Output: one line per packet, as tshark prints by default (No. Time Source -> Destination Protocol Length Info).');
  return lines.join('\n') + '\n';
}
