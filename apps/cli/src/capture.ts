/**
 * Live capture (-i) and the interface list (-D), as tshark does them: "Capturing on ..." on
 * stderr, packets to stdout or -w, then drop counts and "N packets captured" on stderr. SIGINT,
 * SIGTERM (signals.ts), -c and -a stop the capture cleanly: what was captured is written or
 * printed first.
 */
import {
  describeCaptureError,
  interfaceLine,
  LiveCaptureError,
  listInterfaces,
  openLiveCapture,
  type LiveCapture,
} from '@reef/capture';
import { ConfigError } from '@reef/dissect';
import { release, type as osType } from 'node:os';
import type { Options } from './options.js';
import { warn } from './output.js';
import { onStop } from './signals.js';
import { describeError, FileSink, FilteredSink, pump, SummarySink, type BatchSink } from './write.js';

export const EXIT_OK = 0;
export const EXIT_BAD_OPTION = 1;
export const EXIT_CAPTURE_ERROR = 2;

/** `reef-cli -D`: one line per interface, as `tshark -D` numbers and names them. */
export function printInterfaces(): number {
  let list;
  try {
    list = listInterfaces();
  } catch (e) {
    warn(`reef-cli: ${describeCaptureError(e, '')}`);
    return EXIT_CAPTURE_ERROR;
  }
  if (list.length === 0) {
    warn('reef-cli: There are no interfaces on which a capture can be done');
    return EXIT_CAPTURE_ERROR;
  }
  process.stdout.write(list.map(interfaceLine).join('\n') + '\n');
  return EXIT_OK;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The capture filter: -f, or (as tshark) the words after the options. */
function captureFilter(o: Options): string | undefined | Error {
  if (o.positional.length === 0) return o.captureFilter;
  if (o.captureFilterGiven) return new Error('A capture filter was specified both with "-f" and with additional command-line arguments.');
  return o.positional.join(' ');
}

export async function runCapture(o: Options, version: string): Promise<number> {
  const filter = captureFilter(o);
  if (filter instanceof Error) {
    warn(`reef-cli: ${filter.message}`);
    return EXIT_BAD_OPTION;
  }
  if (o.autostop.filesize !== undefined && !o.writeFile) {
    warn('reef-cli: -a filesize:NUM needs a file to write (-w)');
    return EXIT_BAD_OPTION;
  }
  const limit = Math.min(o.count ?? Infinity, o.autostop.packets ?? Infinity);
  let source: LiveCapture;
  try {
    source = openLiveCapture({
      interfaces: o.interfaces,
      ...(filter !== undefined && { filter }),
      ...(o.snaplen !== undefined && { snaplen: o.snaplen }),
      ...(o.bufferMiB !== undefined && { bufferSize: o.bufferMiB * 1024 * 1024 }),
      promiscuous: o.promiscuous,
      maxFrames: limit,
    });
  } catch (e) {
    warn(`reef-cli: ${describeCaptureError(e, '')}`);
    return e instanceof LiveCaptureError ? EXIT_BAD_OPTION : EXIT_CAPTURE_ERROR;
  }
  for (const n of source.notices) warn(`reef-cli: ${n}`);

  let sink: BatchSink;
  try {
    sink = o.writeFile
      ? await FilteredSink.wrap(
          await FileSink.open(o.writeFile, source, {
            ...(o.writeFormat && { format: o.writeFormat }),
            application: `reef-cli ${version}`,
            os: `${osType()} ${release()}`,
            ...(o.autostop.filesize !== undefined && { maxKilobytes: o.autostop.filesize }),
          }),
          o,
        )
      : await SummarySink.open(o);
  } catch (e) {
    await source.close();
    warn(`reef-cli: ${e instanceof ConfigError ? e.message : describeError(e, source.name)}`);
    return e instanceof ConfigError ? EXIT_BAD_OPTION : EXIT_CAPTURE_ERROR;
  }

  warn(`Capturing on ${source.description}`);
  const stop = () => source.stop();
  const offStop = onStop(stop);
  const timer = o.autostop.duration !== undefined ? setTimeout(stop, o.autostop.duration * 1000) : undefined;

  let frames = 0;
  let code = EXIT_OK;
  try {
    frames = await pump(source, sink, limit);
  } catch (e) {
    warn(`reef-cli: ${describeError(e, source.name)}`);
    code = EXIT_CAPTURE_ERROR;
  } finally {
    clearTimeout(timer);
    source.stop();
    try {
      await sink.close();
    } catch (e) {
      warn(`reef-cli: ${describeError(e, source.name)}`);
      code = EXIT_CAPTURE_ERROR;
    }
    await source.close();
    offStop();
  }
  for (const s of source.stats()) {
    if (s.dropped > 0) warn(`${plural(s.dropped, 'packet')} dropped from ${s.displayName}`);
  }
  warn(`${plural(frames, 'packet')} captured`);
  return code;
}
