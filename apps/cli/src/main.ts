/**
 * reef-cli: headless, tshark-compatible decoding. Reads a capture (or captures live) through @reef/capture,
 * dissects it in @reef/dissect's wasm core in batches, and writes the text the core formats
 * straight to stdout: no JS object or string per packet.
 */
import { describeCaptureError, openCaptureFile } from '@reef/capture';
import { ConfigError, loadDissector, localZone } from '@reef/dissect';
import { readFileSync, statSync } from 'node:fs';
import { EXIT_BAD_OPTION, EXIT_CAPTURE_ERROR as EXIT_FILE_ERROR, EXIT_OK, printInterfaces, runCapture } from './capture.js';
import { checkCombination, displayFilter, helpText, parseArgs, UsageError, type Options } from './options.js';
import { warn } from './output.js';
import { Progress } from './progress.js';
import { installStopSignals, stopRequested } from './signals.js';
import { shardCount, ShardedFilterSink, ShardedPrintSink } from './parallel.js';
import { describeError, FileSink, FilteredSink, outputConfig, pump, SummarySink, type BatchSink } from './write.js';

/** WS_EXIT_INVALID_FILTER (tshark 4.2+; 4.0 exits with 2). */
const EXIT_INVALID_FILTER = 4;

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

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/** -r: summary lines on stdout, or (-w) a copy in pcapng or pcap. */
async function readCapture(o: Options): Promise<number> {
  const file = o.readFile!;
  // Output options first (a bad -e is a usage error whatever the file), then the file.
  let printer: SummarySink | undefined;
  const shards = shardCount(o);
  if (!o.writeFile) {
    try {
      printer = await SummarySink.open(o);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      warn(`reef-cli: ${e.message}`);
      return EXIT_BAD_OPTION;
    }
  }
  if (o.twoPass && !o.writeFile) {
    const pipe = file === '-' ? 'The standard input' : isFifo(file) ? `The file "${file}"` : undefined;
    if (pipe) {
      await printer?.close();
      warn(`reef-cli: ${pipe} is a pipe or FIFO; reef-cli can't read pipe or FIFO files in two-pass mode.`);
      return EXIT_FILE_ERROR;
    }
  }
  let source;
  try {
    source = await openCaptureFile(file);
  } catch (e) {
    await printer?.close();
    warn(`reef-cli: ${describeCaptureError(e, file)}`);
    return EXIT_FILE_ERROR;
  }
  let sink: BatchSink;
  try {
    if (printer && shards > 1) {
      // The options were checked in this thread; the workers print.
      printer.discard();
      sink = await ShardedPrintSink.start(shards, outputConfig(o), o);
    } else if (printer) {
      sink = printer;
    } else {
      const file = await FileSink.open(o.writeFile!, source, { ...(o.writeFormat && { format: o.writeFormat }), application: `reef-cli ${version}` });
      const filter = displayFilter(o);
      try {
        sink = shards > 1 && filter !== undefined ? await ShardedFilterSink.start(file, shards, filter, localZone()) : await FilteredSink.wrap(file, o);
      } catch (e) {
        await file.close().catch(() => undefined);
        throw e;
      }
    }
  } catch (e) {
    await source.close();
    warn(`reef-cli: ${describeError(e, file)}`);
    return EXIT_FILE_ERROR;
  }
  const limit = Math.min(o.count ?? Infinity, o.autostop.packets ?? Infinity);
  const progress = Progress.start(file, source, !o.writeFile && !o.quiet);
  let frames = 0;
  let code = EXIT_OK;
  try {
    if (printer && o.twoPass) {
      // -2: the first pass analyses (and -R keeps) frames; the second reads the file again.
      frames = await pump(source, sink, limit, stopRequested, progress);
      await source.close();
      source = await openCaptureFile(file);
      printer.startSecondPass();
    }
    // A copy stopped by a signal still ends on a whole record, with its trailer.
    frames = await pump(source, sink, limit, stopRequested, progress);
  } catch (e) {
    warn(`reef-cli: ${describeError(e, file)}`);
    code = EXIT_FILE_ERROR;
  } finally {
    // The sink closes whatever happens to the source: a copy gets its trailer, workers stop.
    await source.close().catch(() => undefined);
    await sink.close().catch((e: unknown) => {
      warn(`reef-cli: ${describeError(e, file)}`);
      code = EXIT_FILE_ERROR;
    });
  }
  if (code === EXIT_OK && source.truncation && frames < limit && !stopRequested()) {
    warn(`reef-cli: ${source.truncation.message}`);
    return EXIT_FILE_ERROR;
  }
  return code;
}

async function main(argv: string[]): Promise<number> {
  installStopSignals();
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
  if (o.listInterfaces) return printInterfaces();
  // Like tshark, a display filter is checked before any file is opened or capture started.
  for (const filter of [o.twoPass ? o.readFilter : undefined, displayFilter(o)]) {
    if (filter === undefined) continue;
    const check = (await loadDissector()).checkFilter(filter);
    if (!check.ok) {
      warn(`reef-cli: ${check.report}`);
      return EXIT_INVALID_FILTER;
    }
  }
  if (o.readFile && o.interfaces.length > 0) {
    warn('reef-cli: -r reads a file and -i captures live: give one of them');
    return EXIT_BAD_OPTION;
  }
  if (o.interfaces.length > 0) return runCapture(o, version);
  if (o.captureFilterGiven) {
    warn('reef-cli: Only read filters, not capture filters, can be specified when reading a capture file.');
    return EXIT_BAD_OPTION;
  }
  if (!o.readFile) {
    warn('reef-cli: no input: use -r FILE (or -r - for stdin), or -i INTERFACE to capture (-D lists them)');
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
