/**
 * reef: the terminal UI. Checks the arguments and opens the capture before the screen exists
 * (so errors are plain one-line messages with tshark's exit codes), then loads the capture
 * batch by batch behind the main view.
 */
import { describeCaptureError, FrameFile, openCaptureFile, openCaptureStream, type PacketSource } from '@reef/capture';
import { loadDissector, localZone } from '@reef/dissect';
import { copyFileSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream } from 'node:tty';
import { interfaceList, startLiveCapture, type LiveRun } from './capture.js';
import { FrameStore } from './state/frame-store.js';
import { glyphs } from './state/glyphs.js';
import { describeError, loadCapture } from './state/loader.js';
import { safeText } from './state/text.js';
import { helpText, parseArgs, UsageError, type Options } from './options.js';

const EXIT_OK = 0;
const EXIT_USAGE = 1;
const EXIT_FILE_ERROR = 2;
/** tshark's status for an invalid display filter. */
const EXIT_INVALID_FILTER = 4;

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

function warn(line: string): void {
  process.stderr.write(`reef: ${line.split('\n').map(safeText).join('\n')}\n`);
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warn(`${e.message} (see 'reef -h')`);
    return EXIT_USAGE;
  }
  if (o.help) {
    process.stdout.write(helpText(version));
    return EXIT_OK;
  }
  if (o.version) {
    process.stdout.write(`reef ${version}\n`);
    return EXIT_OK;
  }
  if (o.listInterfaces) {
    try {
      process.stdout.write(interfaceList());
      return EXIT_OK;
    } catch (e) {
      warn(describeCaptureError(e, ''));
      return EXIT_FILE_ERROR;
    }
  }
  // As tshark, the display filter is checked before any file is opened or capture started.
  const dissector = await loadDissector();
  if (o.displayFilter !== undefined) {
    const check = dissector.checkFilter(o.displayFilter);
    if (!check.ok) {
      warn(`invalid display filter "${o.displayFilter}": ${check.message}`);
      return EXIT_INVALID_FILTER;
    }
  }
  // `tcpdump -w - | reef`: the capture comes on stdin, the keys from the terminal itself.
  const fromStdin = o.readFile === '-' || (o.readFile === undefined && o.interfaces.length === 0 && !process.stdin.isTTY);
  let file = o.readFile ?? (fromStdin ? '-' : undefined);
  let source: PacketSource;
  let live: LiveRun | undefined;
  /** Without -w the capture still goes to a file (as termshark), offered for keeping on quit. */
  let tempFile: string | undefined;
  if (o.interfaces.length > 0 && o.writeFile === undefined) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    tempFile = join(tmpdir(), `reef-${stamp}-${process.pid}.pcapng`);
    o.writeFile = tempFile;
  }
  if (o.interfaces.length > 0) {
    try {
      live = await startLiveCapture(o, version);
    } catch (e) {
      warn(describeCaptureError(e, o.writeFile ?? ''));
      return EXIT_FILE_ERROR;
    }
    for (const n of live.capture.notices) warn(n);
    source = live.source;
    file = `${live.capture.description.replace(/'/g, '')}${o.writeFile ? ` -> ${o.writeFile}` : ''}`;
  } else if (file === undefined) {
    warn(`no input: use -r FILE, -i INTERFACE or a pipe on stdin (see 'reef -h').`);
    return EXIT_USAGE;
  } else {
    try {
      source = file === '-' ? await openCaptureStream(process.stdin, '-') : await openCaptureFile(file);
    } catch (e) {
      warn(describeError(e, file));
      return EXIT_FILE_ERROR;
    }
  }
  // Errors about the input come first (exit 2); then the terminal is required.
  let input: NodeJS.ReadableStream | undefined;
  const notTerminal = async (why: string): Promise<number> => {
    await source.close().catch(() => {});
    await live?.finish().catch(() => {});
    warn(why);
    return EXIT_USAGE;
  };
  if (!process.stdout.isTTY) return notTerminal('not a terminal: reef needs one (reef-cli prints packets as text)');
  if (!process.stdin.isTTY) {
    try {
      input = new ReadStream(openSync('/dev/tty', 'r'));
    } catch {
      return notTerminal('no terminal to read keys from (/dev/tty): reef needs one (reef-cli prints packets as text)');
    }
  }
  const session = dissector.openSession();
  // Local times everywhere they show (the a/ad/adoy columns, Arrival Time in the details), as
  // Wireshark shows them.
  const timeFormat = o.timeFormat ?? 'r';
  session.configure({ timeFormat, zone: localZone() });
  const fileSize = live || file === '-' ? undefined : await stat(file).then((s) => (s.isFile() ? s.size : undefined), () => undefined);

  // Box borders as Unicode lines rather than VT100 line drawing, which tmux and some terminals
  // show as `lqqk`. blessed reads this when the screen is created, so set it before loading it.
  process.env.NCURSES_NO_UTF8_ACS ??= '1';
  const { MainView } = await import('./views/main-view.js');

  // A regular, uncompressed file is read again for frame bytes rather than keeping them all.
  let reread: FrameFile | undefined;
  if (!live && file !== '-' && fileSize !== undefined && !source.gzip) {
    try {
      reread = new FrameFile(file, source.format);
    } catch {
      // Bytes stay in memory then.
    }
  }
  const store = new FrameStore(reread);
  // The store can hand any frame back (from the file, or the bytes it keeps): the core then
  // keeps where reassembled TCP bytes are rather than a copy (on the 5M benchmark, 116 B a frame).
  session.handBackFrames((n) => store.handBack(n - 1));
  const capture = {
    ...(live ? { path: o.writeFile, live: true } : file !== '-' && { path: file }),
    format: live ? ('pcapng' as const) : source.format,
    gzip: source.gzip,
    // Read when the view opens: pcapng interfaces arrive with the first blocks.
    get interfaces() {
      return source.interfaces;
    },
    ...(fileSize !== undefined && { fileSize }),
  };
  const view = new MainView({
    file: file === '-' ? 'stdin' : file,
    store,
    session,
    glyphs: glyphs(),
    capture,
    timeFormat: o.timeFormat ?? 'r',
    ...(o.displayFilter !== undefined && { displayFilter: o.displayFilter }),
    ...(o.captureFilter !== undefined && { captureFilter: o.captureFilter }),
    ...(live && { live: { stop: () => live!.capture.stop(), ...(tempFile ? { tempFile } : { writeFile: o.writeFile! }) } }),
    ...(input && { input }),
  });
  // Whatever ends the program, the terminal is given back in a usable state first.
  // A -w file is closed (whole records, statistics block) on every way out.
  process.on('SIGTERM', () => void (live?.finish() ?? Promise.resolve()).finally(() => view.quit(128 + 15)));
  process.on('SIGHUP', () => view.quit(128 + 1));
  process.on('uncaughtException', (e) => {
    view.quit(70);
    warn(`internal error: ${e.stack ?? e.message}`);
    process.exit(70);
  });
  let quitting = false;
  void view.exited.then(() => (quitting = true));
  const loaded = loadCapture({
    source,
    store,
    fileSize,
    ingest: (batch) => session.ingest(batch),
    onProgress: (p) => {
      if (!quitting) view.onProgress(p);
    },
    cancelled: () => quitting,
    ...(live && { liveCounters: () => live!.counters() }),
  });
  const counters = live ? setInterval(() => view.onLiveCounters(live!.counters()), 1000) : undefined;
  const code = await view.exited;
  if (counters) clearInterval(counters);
  if (live) {
    live.capture.stop();
    await live.finish().catch((e: unknown) => warn(describeCaptureError(e, o.writeFile ?? '')));
    if (tempFile) settleTempFile(tempFile, view.quitChoice);
  }
  // Loading stops at its next batch; don't wait long for a slow file system.
  await Promise.race([loaded.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
  session.close();
  store.close();
  // `:load FILE`: the same program again on the other file, in a fresh screen.
  if (view.reloadArgs) return main(view.reloadArgs);
  return code;
}

/** Keeps, moves or deletes the temporary capture file as the user chose on quitting. */
function settleTempFile(file: string, choice: import('./views/analysis-views.js').QuitChoice): void {
  try {
    if (choice.action === 'delete') {
      unlinkSync(file);
      return;
    }
    if (choice.action === 'move') {
      try {
        renameSync(file, choice.to);
      } catch (e) {
        // Another file system: copy, then remove the temporary file.
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        copyFileSync(file, choice.to);
        unlinkSync(file);
      }
      process.stderr.write(`reef: the capture was saved in ${safeText(choice.to)}\n`);
      return;
    }
    process.stderr.write(`reef: the capture is in ${safeText(file)}\n`);
  } catch (e) {
    warn(`${e instanceof Error ? e.message : String(e)}; the capture is still in ${file}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(70);
  },
);
