/**
 * reef-cli: headless, tshark-compatible decoding. Reads a capture through @reef/capture,
 * dissects it in @reef/dissect's wasm core in batches, and writes the text the core formats
 * straight to stdout: no JS object or string per packet.
 */
import { describeCaptureError, META_WORDS, openCaptureFile, type FrameBatch, type PacketSource } from '@reef/capture';
import { ConfigError, loadDissector, type OutputConfig, type Session } from '@reef/dissect';
import { readFileSync } from 'node:fs';
import { checkCombination, helpText, parseArgs, UsageError, type Options } from './options.js';
import { Stdout, warn } from './output.js';
import { startStatistics, statisticsText } from './statistics.js';

/** tshark's exit codes. */
const EXIT_OK = 0;
const EXIT_BAD_OPTION = 1;
const EXIT_FILE_ERROR = 2;

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

async function printFields(): Promise<void> {
  const dissector = await loadDissector();
  const out: string[] = [];
  for (const f of dissector.fields()) {
    const parent = f.abbrev.split('.')[0];
    out.push(f.type === 'FT_PROTOCOL' ? `P\t${f.name}\t${f.abbrev}` : `F\t${f.name}\t${f.abbrev}\t${f.type}\t${parent}\t${f.blurb}\t${f.base}\t0x0`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

/** A batch holding only its first `n` frames (for -c). */
function firstFrames(batch: FrameBatch, n: number): FrameBatch {
  return { ...batch, count: n, meta: batch.meta.subarray(0, n * META_WORDS) };
}

/** The local zone as tshark would show it (the offset at `when`). */
function localZone(when: Date): { offsetSeconds: number; name: string } {
  const offsetSeconds = -when.getTimezoneOffset() * 60;
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(when).find((p) => p.type === 'timeZoneName');
  return { offsetSeconds, name: offsetSeconds === 0 ? 'UTC' : (part?.value ?? 'UTC') };
}

/** What the core prints per frame, from the command line. */
function outputConfig(o: Options): OutputConfig {
  const mode = o.quiet ? 'quiet' : o.outputFormat === 'fields' ? 'fields' : o.verbose ? 'verbose' : o.hex ? 'quiet' : 'summary';
  return { mode, hex: o.hex && !o.quiet, timeFormat: o.timeFormat, fields: o.fields, ...o.fieldOptions, zone: localZone(new Date()) };
}

/** Tells the core about the source's interfaces (pcapng may declare more as it goes). */
function syncInterfaces(session: Session, base: OutputConfig, source: PacketSource, known: number): number {
  if (source.interfaces.length === known && known > 0) return known;
  session.configure({ ...base, capture: { format: source.format, interfaces: source.interfaces } });
  return source.interfaces.length;
}

async function readCapture(o: Options): Promise<number> {
  const file = o.readFile!;
  const dissector = await loadDissector();
  const session = dissector.openSession();
  const config = outputConfig(o);
  try {
    session.configure(config);
  } catch (e) {
    session.close();
    if (!(e instanceof ConfigError)) throw e;
    warn(`reef-cli: ${e.message}`);
    return EXIT_BAD_OPTION;
  }
  const statsError = startStatistics(session, o.statistics);
  if (statsError) {
    session.close();
    warn(`reef-cli: ${statsError}`);
    return EXIT_BAD_OPTION;
  }
  const stdout = new Stdout();
  let source;
  try {
    source = await openCaptureFile(file);
  } catch (e) {
    warn(`reef-cli: ${describeCaptureError(e, file)}`);
    return EXIT_FILE_ERROR;
  }
  let left = o.count ?? Infinity;
  let interfaces = 0;
  try {
    for await (const batch of source) {
      interfaces = syncInterfaces(session, config, source, interfaces);
      const b = batch.count > left ? firstFrames(batch, left) : batch;
      const text = session.ingest(b, { summaries: true });
      if (text) await stdout.write(text);
      left -= b.count;
      if (left <= 0 || stdout.closed) break;
    }
    const stats = statisticsText(session, o.statistics);
    if (stats) await stdout.write(stats);
  } catch (e) {
    warn(`reef-cli: ${describeCaptureError(e, file)}`);
    return EXIT_FILE_ERROR;
  } finally {
    await source.close();
    session.close();
  }
  if (source.truncation && left > 0) {
    warn(`reef-cli: ${source.truncation.message}`);
    return EXIT_FILE_ERROR;
  }
  return EXIT_OK;
}


async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warn(`reef-cli: ${e.message}`);
    warn(`reef-cli: see 'reef-cli -h' for usage.`);
    return EXIT_BAD_OPTION;
  }
  if (o.help) {
    process.stdout.write(helpText(version));
    return EXIT_OK;
  }
  if (o.version) {
    process.stdout.write(`reef-cli ${version}\n`);
    return EXIT_OK;
  }
  if (o.glossary) {
    await printFields();
    return EXIT_OK;
  }
  const conflict = checkCombination(o);
  if (conflict) {
    warn(`reef-cli: ${conflict}`);
    return EXIT_BAD_OPTION;
  }
  if (o.positional.length > 0) {
    warn(`reef-cli: display filters are not supported yet ("${o.positional.join(' ')}")`);
    return EXIT_BAD_OPTION;
  }
  if (!o.readFile) {
    warn('reef-cli: no input: use -r FILE (or -r - for stdin). Live capture (-i) is not available in this build.');
    return EXIT_BAD_OPTION;
  }
  return readCapture(o);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    warn(`reef-cli: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 70;
  },
);
