/**
 * reef-cli's options, declared once: this table drives parsing and `--help`. Only options that
 * are implemented appear here; tshark's other options are rejected as unknown (exit 1), never
 * silently ignored.
 */

/** tshark's `-t` formats. */
const TIME_FORMATS = ['a', 'ad', 'adoy', 'd', 'dd', 'e', 'r', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

const OUTPUT_FORMATS = ['text', 'fields', 'json', 'jsonraw', 'ek', 'pdml', 'psml', 'tabs'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** tshark's list of -T formats (those Reef implements), printed after an invalid one. */
const FORMAT_HELP = `\t"ek"      Newline delimited JSON format for bulk import into
\t          Elasticsearch.
\t"fields"  The values of fields specified with the -e option, in a form
\t          specified by the -E option.
\t"json"    Packet Summary, an JSON-based format for the details
\t          summary information of a decoded packet.
\t"jsonraw" Packet Details, a JSON-based format for machine parsing
\t          including only raw hex decoded fields.
\t"pdml"    Packet Details Markup Language, an XML-based format for the
\t          details of a decoded packet.
\t"psml"    Packet Summary Markup Language, an XML-based format for the
\t          summary information of a decoded packet.
\t"tabs"    Similar to the text report except that each column of the
\t          human-readable one-line summary is delimited with an ASCII
\t          horizontal tab character.
\t"text"    Text of a human-readable one-line summary of each of the
\t          packets, or a multi-line view of the details of each of the
\t          packets, depending on whether the -V flag was specified.`;

/** `-E` settings of `-T fields`. */
export interface FieldOptions {
  header?: boolean;
  separator?: string;
  occurrence?: 'f' | 'l' | 'a';
  aggregator?: string;
  quote?: 'd' | 's' | 'n';
}

export interface CaptureInterface {
  /** Name or `-D` number, as given to -i. */
  name: string;
  /** -f given after this -i. */
  filter?: string;
}

export interface Autostop {
  /** Seconds. */
  duration?: number;
  packets?: number;
  /** Kilobytes (1000 bytes) written. */
  filesize?: number;
}

export interface Options {
  readFile?: string;
  count?: number;
  /** -T: only the formats Reef implements are accepted. */
  outputFormat?: OutputFormat;
  /** --no-duplicate-keys (-T json). */
  noDuplicateKeys: boolean;
  /** -O: protocols whose details -V expands. */
  onlyProtocols: string[];
  /** -l: flush stdout after each packet. */
  lineBuffered: boolean;
  /** -2: two passes. */
  twoPass: boolean;
  /** -R: the read filter (with -2). */
  readFilter?: string;
  /** -e, in order. */
  fields: string[];
  fieldOptions: FieldOptions;
  /** -V */
  verbose: boolean;
  /** -x */
  hex: boolean;
  /** -t */
  timeFormat?: TimeFormat;
  glossary?: string;
  help: boolean;
  version: boolean;
  /** -i, in order (one pcapng IDB each). */
  interfaces: CaptureInterface[];
  /** -f before any -i: the filter of every interface without its own. */
  captureFilter?: string;
  /** -f was given at all (tshark refuses it together with a positional capture filter). */
  captureFilterGiven: boolean;
  listInterfaces: boolean;
  snaplen?: number;
  promiscuous: boolean;
  /** -B, in MiB. */
  bufferMiB?: number;
  writeFile?: string;
  writeFormat?: 'pcap' | 'pcapng';
  autostop: Autostop;
  quiet: boolean;
  /** -Y: the display filter. */
  displayFilter?: string;
  /** --color: summary lines in Wireshark's coloring-rule colors. */
  color: boolean;
  /** -z statistics, in command-line order. */
  statistics: string[];
  /** Positional words: the capture filter with -i; the display filter with -r (joined with spaces). */
  positional: string[];
}

interface OptionSpec {
  flag: string;
  arg?: string;
  help: string;
  apply(o: Options, value: string): string | void;
}

const positiveInt = /^[1-9][0-9]*$/;

export const OPTIONS: OptionSpec[] = [
  {
    flag: '-r',
    arg: '<infile|->',
    help: 'read packets from a pcap/pcapng file (gzip ok); - reads stdin',
    apply: (o, v) => void (o.readFile = v),
  },
  {
    flag: '-i',
    arg: '<interface>',
    help: 'capture on this interface: a name or a number from -D (repeat for several; lo0 = loopback)',
    apply: (o, v) => void o.interfaces.push({ name: v }),
  },
  {
    flag: '-f',
    arg: '<capture filter>',
    help: 'BPF capture filter (libpcap syntax); after an -i, for that interface only',
    apply: (o, v) => {
      o.captureFilterGiven = true;
      const last = o.interfaces[o.interfaces.length - 1];
      if (last) last.filter = v;
      else o.captureFilter = v;
    },
  },
  {
    flag: '-s',
    arg: '<snaplen>',
    help: 'bytes kept per packet (default and 0: 262144)',
    apply: (o, v) => {
      if (!/^[0-9]+$/.test(v)) return `The specified snapshot length "${v}" isn't a valid number`;
      o.snaplen = Number(v);
    },
  },
  { flag: '-p', help: "don't capture in promiscuous mode", apply: (o) => void (o.promiscuous = false) },
  {
    flag: '-B',
    arg: '<buffer size>',
    help: 'kernel capture buffer in MiB (default 2)',
    apply: (o, v) => {
      if (!positiveInt.test(v)) return `The specified buffer size "${v}" isn't a valid positive number`;
      o.bufferMiB = Number(v);
    },
  },
  { flag: '-D', help: 'print the list of interfaces and exit', apply: (o) => void (o.listInterfaces = true) },
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
    flag: '-a',
    arg: '<autostop cond.>',
    help: 'stop after duration:NUM seconds, packets:NUM, or filesize:NUM kB written (repeatable)',
    apply: (o, v) => {
      const m = /^(duration|packets|filesize):(.*)$/.exec(v);
      if (!m) return `Invalid or unknown -a flag "${v}"`;
      const [, key, num] = m as unknown as [string, 'duration' | 'packets' | 'filesize', string];
      if (key === 'duration' ? !/^(\d+(\.\d*)?|\.\d+)$/.test(num) || Number(num) <= 0 : !positiveInt.test(num)) {
        return `The specified ${key} "${num}" isn't a valid positive number`;
      }
      o.autostop[key] = Number(num);
    },
  },
  {
    flag: '-w',
    arg: '<outfile|->',
    help: 'write packets to a pcapng (or -F pcap) file; - writes stdout',
    apply: (o, v) => void (o.writeFile = v),
  },
  {
    flag: '-F',
    arg: '<file type>',
    help: 'file type for -w: pcapng (default) or pcap',
    apply: (o, v) => {
      if (v !== 'pcap' && v !== 'pcapng') {
        return `"${v}" isn't a valid capture file type\nThe available capture file types for the "-F" flag are:\n    pcap - Wireshark/tcpdump/... - pcap\n    pcapng - Wireshark/... - pcapng`;
      }
      o.writeFormat = v;
    },
  },
  { flag: '-q', help: 'no packet lines on stdout (counts still go to stderr)', apply: (o) => void (o.quiet = true) },
  {
    flag: '-z',
    arg: '<statistics>',
    help: 'statistics after the packets (repeatable): conv,TYPE endpoints,TYPE (eth ip ipv6 tcp udp) follow,tcp|udp,ascii|hex|raw|yaml,N flow,tcp,standard|network expert io,phs io,stat,INTERVAL[,FILTER|CALC(field)FILTER...]',
    apply: (o, v) => void o.statistics.push(v),
  },
  {
    flag: '-T',
    arg: OUTPUT_FORMATS.join('|'),
    help: 'output format: text (default summary lines or -V tree), fields (the -e values), json, jsonraw, ek (Elasticsearch bulk), pdml, psml, tabs',
    apply: (o, v) => {
      if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) return `Invalid -T parameter "${v}"; it must be one of:\n${FORMAT_HELP}`;
      o.outputFormat = v as OutputFormat;
    },
  },
  {
    flag: '--no-duplicate-keys',
    help: 'with -T json: repeated keys of an object are merged into one array',
    apply: (o) => void (o.noDuplicateKeys = true),
  },
  {
    flag: '-O',
    arg: '<protocols>',
    help: 'only show the details of these protocols (comma separated); others one line each (implies -V)',
    apply: (o, v) => {
      o.onlyProtocols.push(...v.split(/[ ,]+/).filter((p) => p !== ''));
      o.verbose = true;
    },
  },
  { flag: '-l', help: 'flush standard output after each packet', apply: (o) => void (o.lineBuffered = true) },
  { flag: '-2', help: 'two passes: -R filters in the first pass, -Y in the second', apply: (o) => void (o.twoPass = true) },
  {
    flag: '-R',
    arg: '<read filter>',
    help: 'with -2: keep only packets matching this display filter (they are renumbered)',
    apply: (o, v) => void (o.readFilter = v),
  },
  {
    flag: '-e',
    arg: '<field>',
    help: 'field to print with -T fields (repeatable); _ws.col.Info etc. select columns',
    apply: (o, v) => void o.fields.push(v),
  },
  {
    flag: '-E',
    arg: '<fieldsoption>=<value>',
    help: 'header=y|n separator=/t|/s|<char> occurrence=f|l|a aggregator=,|/s|<char> quote=d|s|n',
    apply: (o, v) => parseFieldOption(o.fieldOptions, v),
  },
  {
    flag: '-V',
    help: 'print the details tree of each packet (as tshark -V)',
    apply: (o) => void (o.verbose = true),
  },
  {
    flag: '-x',
    help: 'print a hex and ASCII dump of each packet',
    apply: (o) => void (o.hex = true),
  },
  {
    flag: '-t',
    arg: 'a|ad|adoy|d|dd|e|r|u|ud|udoy',
    help: 'format of the Time column (default r: relative to the first packet)',
    apply: (o, v) => {
      if (!(TIME_FORMATS as readonly string[]).includes(v)) {
        return `Invalid time stamp type "${v}"; it must be one of: ${TIME_FORMATS.join(', ')}`;
      }
      o.timeFormat = v as TimeFormat;
    },
  },
  {
    flag: '-Y',
    arg: '<display filter>',
    help: 'show (or with -w, write) only packets matching this Wireshark display filter; all are still analysed',
    apply: (o, v) => void (o.displayFilter = v),
  },
  {
    flag: '--color',
    help: "color summary lines as Wireshark's default coloring rules (24-bit color terminals)",
    apply: (o) => void (o.color = true),
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

/** `-E key=value`, as tshark spells the values (`/t` tab, `/s` space). */
function parseFieldOption(f: FieldOptions, pair: string): string | void {
  const eq = pair.indexOf('=');
  const key = eq < 0 ? pair : pair.slice(0, eq);
  const raw = eq < 0 ? '' : pair.slice(eq + 1);
  const chars = (v: string) => (v === '/t' ? '\t' : v === '/s' ? ' ' : v);
  const bad = `"${key}" is not a valid field output option=value pair.`;
  switch (key) {
    case 'header':
      if (raw !== 'y' && raw !== 'n') return bad;
      f.header = raw === 'y';
      return;
    case 'separator':
      f.separator = chars(raw);
      return;
    case 'aggregator':
      f.aggregator = chars(raw);
      return;
    case 'quote':
      if (raw !== 'd' && raw !== 's' && raw !== 'n') return bad;
      f.quote = raw;
      return;
    case 'occurrence':
      if (raw !== 'f' && raw !== 'l' && raw !== 'a') return bad;
      f.occurrence = raw;
      return;
    default:
      return bad;
  }
}

/** Cross-option rules tshark enforces; returns its message, or undefined when fine. */
export function checkCombination(o: Options): string | undefined {
  if (o.readFilter !== undefined && !o.twoPass) return '-R without -2 is deprecated. For single-pass filtering use -Y.';
  if (o.outputFormat === 'fields' && o.fields.length === 0) return '"-Tfields" was specified, but no fields were specified with "-e".';
  if (o.fields.length > 0 && !['fields', 'json', 'ek', 'pdml'].includes(o.outputFormat ?? 'text')) {
    return 'Output fields were specified with "-e", but "-Tek, -Tfields, -Tjson or -Tpdml" was not specified.';
  }
  if (o.readFile !== undefined && o.positional.length > 0 && o.displayFilter !== undefined) {
    return 'Display filters were specified both with "-Y" and with additional command-line arguments.';
  }
  // Writing copies records without dissecting them, so nothing would feed the statistics.
  if (o.writeFile && o.statistics.length > 0) return '-z statistics cannot be combined with -w yet';
  return undefined;
}

/** The display filter of a run: -Y, or with -r the positional words joined by spaces. */
export function displayFilter(o: Options): string | undefined {
  if (o.displayFilter !== undefined) return o.displayFilter;
  return o.readFile !== undefined && o.positional.length > 0 ? o.positional.join(' ') : undefined;
}

export class UsageError extends Error {}

/** Parses argv (without node and script). Throws UsageError with tshark-style text. */
export function parseArgs(argv: string[]): Options {
  const o: Options = {
    help: false,
    version: false,
    positional: [],
    fields: [],
    fieldOptions: {},
    noDuplicateKeys: false,
    onlyProtocols: [],
    lineBuffered: false,
    twoPass: false,
    verbose: false,
    hex: false,
    interfaces: [],
    captureFilterGiven: false,
    listInterfaces: false,
    promiscuous: true,
    autostop: {},
    quiet: false,
    color: false,
    statistics: [],
  };
  // pnpm passes a literal `--` when called as `pnpm start -- -r x`.
  const args = argv[0] === '--' ? argv.slice(1) : argv.slice();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const word = a === '--help' ? '-h' : a === '--version' ? '-v' : a;
    if (!word.startsWith('-') || word === '-') {
      o.positional.push(word);
      continue;
    }
    const flag = word.startsWith('--') ? word : word.slice(0, 2);
    const spec = OPTIONS.find((s) => s.flag === flag);
    if (!spec) throw new UsageError(`invalid option -- '${word.replace(/^-+/, '')}'`);
    let value = '';
    if (spec.arg) {
      const optional = spec.arg.startsWith('[');
      if (word.length > 2) value = word.slice(2);
      else if (i + 1 < args.length && !(optional && args[i + 1]!.startsWith('-'))) value = args[++i]!;
      else if (optional) value = spec.arg.slice(1, -1);
      else throw new UsageError(`option requires an argument -- '${flag.slice(1)}'`);
    } else if (word.length > flag.length) {
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
  lines.push(
    '',
    'Output: one line per packet, as tshark prints by default (No. Time Source -> Destination Protocol Length Info).',
    'With -i, words after the options form the capture filter, as with tshark.',
  );
  return lines.join('\n') + '\n';
}
