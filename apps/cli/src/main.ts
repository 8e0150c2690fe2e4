/**
 * reef-cli: headless, tshark-compatible decoding. Reads a capture through @reef/capture,
 * dissects it in @reef/dissect's wasm core in batches, and writes the text the core formats
 * straight to stdout: no JS object or string per packet.
 */
import { describeCaptureError, META_WORDS, openCaptureFile, type FrameBatch } from '@reef/capture';
import { loadDissector } from '@reef/dissect';
import { readFileSync } from 'node:fs';
import { helpText, parseArgs, UsageError, type Options } from './options.js';
import { Stdout, warn } from './output.js';

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

async function readCapture(o: Options): Promise<number> {
  const file = o.readFile!;
  const dissector = await loadDissector();
  const session = dissector.openSession();
  const stdout = new Stdout();
  let source;
  try {
    source = await openCaptureFile(file);
  } catch (e) {
    warn(`reef-cli: ${describeCaptureError(e, file)}`);
    return EXIT_FILE_ERROR;
  }
  let left = o.count ?? Infinity;
  try {
    for await (const batch of source) {
      const b = batch.count > left ? firstFrames(batch, left) : batch;
      const text = session.ingest(b, { summaries: true });
      if (text) await stdout.write(text);
      left -= b.count;
      if (left <= 0 || stdout.closed) break;
    }
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
