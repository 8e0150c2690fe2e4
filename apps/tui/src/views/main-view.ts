/**
 * The main screen: title bar, filter bar, packet list, details tree, hex pane and status bar
 * stacked termshark-style; owns the focus, the modal dialogs, the view open over the panes
 * (overlay.ts) and the key bindings (see keys.ts).
 */
import blessed from 'blessed';
import type { Writable } from 'node:stream';
import { META_WORDS, frameBytes, type FrameBatch } from '@reef/capture';
import type { ColorRule, DataSource, Row, Session, TreeNode } from '@reef/dissect';
import { detectColorDepth } from '../state/colors.js';
import type { DisplayList } from '../state/display-list.js';
import type { FrameStore } from '../state/frame-store.js';
import { progressBar, type Glyphs } from '../state/glyphs.js';
import { HexState } from '../state/hex-state.js';
import { ListState, type ListRow } from '../state/list-state.js';
import type { LoadProgress } from '../state/loader.js';
import { RowCache } from '../state/row-cache.js';
import { fit, safeText, span } from '../state/text.js';
import { escapeTags } from '../widgets/markup.js';
import { TreeState } from '../state/tree-state.js';
import { LinePane } from '../widgets/line-pane.js';
import { DialogWidget } from '../widgets/dialog.js';
import { FilterBarWidget } from '../widgets/filter-bar.js';
import { OverlayPane } from '../widgets/overlay-pane.js';
import { setColorDepth } from '../widgets/palette.js';
import { PromptWidget } from '../widgets/prompt.js';
import { PacketListWidget } from '../widgets/packet-list.js';
import { StatusBarWidget } from '../widgets/status-bar.js';
import { TitleBarWidget } from '../widgets/title-bar.js';
import { AnalysisViews, type QuitChoice, type SelectedFrame } from './analysis-views.js';
import { Controls } from './controls.js';
import type { CaptureFacts } from './info-view.js';
import { helpText } from './key-table.js';
import { handleKey, type Key } from './keys.js';
import { layoutPanes, type PaneRects, type Rect } from './layout.js';
import { handleMouse, type MouseEvent } from './mouse.js';
import type { Overlay, OverlayHost } from './overlay.js';

export type Pane = 'list' | 'tree' | 'hex';
export const PANES: readonly Pane[] = ['list', 'tree', 'hex'];

export interface MainViewOptions {
  /** The capture's name as the user gave it. */
  file: string;
  store: FrameStore;
  session: Session;
  glyphs: Glyphs;
  /** Live capture: the title says so, ctrl-c stops capturing (not the program). `tempFile`: the
   * capture goes to this temporary file, offered for keeping on quit; `writeFile`: -w. */
  live?: { stop(): void; tempFile?: string; writeFile?: string };
  /** What the reader knew about the capture file (for its properties). */
  capture?: CaptureFacts;
  /** Keyboard input when stdin carries the capture (a pipe): the terminal itself. */
  input?: NodeJS.ReadableStream;
  /** tshark's -t format of the Time column (the session is configured with it). */
  timeFormat?: string;
  /** Applied once the screen is up (-Y, or the filter after the file). */
  displayFilter?: string;
  captureFilter?: string;
}

/** Redraws while loading are at most this often (the first batch is drawn at once). */
const LOADING_REDRAW_MS = 100;

export class MainView implements OverlayHost {
  readonly screen: blessed.Widgets.Screen;
  readonly list: ListState;
  readonly tree = new TreeState();
  readonly hex = new HexState();
  /** The selected frame's bytes, and the other data sources its dissection made. */
  private frameData: Uint8Array = new Uint8Array(0);
  private sources: DataSource[] = [];
  /** The data source the hex pane shows: 0 the frame, k `sources[k - 1]`. */
  private hexSource = 0;
  focus: Pane = 'list';
  /** 'quit' while the "Quit? (y/n)" question is up, 'help' while the help (or another message)
   * is; 'keep' and 'saveas' ask what becomes of a live capture's temporary file. */
  modal: 'none' | 'quit' | 'help' | 'keep' | 'saveas' = 'none';
  /** The full-screen view open over the panes (conversations, follow, flow, reports). */
  overlay: Overlay | undefined;
  /** Conversations, follow, flow, the reports and the keep/delete question (analysis-views.ts). */
  readonly analysis: AnalysisViews;
  /** What becomes of a live capture's temporary file, carried out once the file is closed. */
  quitChoice: QuitChoice = { action: 'keep' };
  /** The filter bar, marks, search, command line, layouts (controls.ts). */
  readonly controls: Controls;
  /** Set by `:load FILE`: main.ts starts over with these arguments once the screen is gone. */
  reloadArgs: string[] | undefined;
  /** The first `g` of `g g` was pressed. */
  pendingG = false;

  private readonly rows: RowCache<ListRow>;
  private readonly filterBar: FilterBarWidget;
  private readonly prompt: PromptWidget;
  /** The selected row in full when the list cuts it. */
  private readonly detailLine: blessed.Widgets.BoxElement;
  private rects: PaneRects | undefined;
  private colorRules: ColorRule[] = [];
  private readonly titleBar: TitleBarWidget;
  private readonly listPane: PacketListWidget;
  private readonly treePane: LinePane;
  private readonly hexPane: LinePane;
  private readonly statusBar: StatusBarWidget;
  private readonly dialog: DialogWidget;
  private readonly overlayPane: OverlayPane;
  private progress: LoadProgress = { frames: 0, fraction: 0, done: false };
  /** List index of the frame whose details and bytes are shown. */
  private shown = -1;
  private treeError: string | undefined;
  private captureStopped = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private resolveExit: ((code: number) => void) | undefined;
  /** Resolves with the exit status once the user quits. */
  readonly exited: Promise<number>;

  constructor(private readonly o: MainViewOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.controls = new Controls(this);
    this.analysis = new AnalysisViews(this, o.session, o.store, o.glyphs, o.capture);
    const display = this.controls.display;
    try {
      this.colorRules = o.session.colorRules();
    } catch {
      // Without the rules the list is uncolored; nothing else depends on them.
    }
    this.rows = new RowCache(display, (batch, start, count) => listRows(o.session, this.colorRules, batch, start, count));
    this.list = new ListState(display, this.rows, o.glyphs.ellipsis);
    if (o.timeFormat === 'dd') this.list.timeOf = (i) => (display.filtered ? deltaDisplayed(o.store, display, i) : undefined);
    this.screen = blessed.screen({
      // @types/blessed declares `input` as Writable; blessed reads keys from it.
      ...(o.input && { input: o.input as unknown as Writable }),
      smartCSR: true,
      fullUnicode: true,
      autoPadding: false,
      warnings: false,
    });
    this.titleBar = new TitleBarWidget(this.screen);
    this.listPane = new PacketListWidget(this.screen, o.glyphs);
    this.treePane = new LinePane(this.screen, o.glyphs, 'Packet Details', { top: 11, height: 8 });
    this.hexPane = new LinePane(this.screen, o.glyphs, 'Packet Bytes', { top: 19, height: 6 });
    this.statusBar = new StatusBarWidget(this.screen);
    this.filterBar = new FilterBarWidget(this.screen);
    this.prompt = new PromptWidget(this.screen);
    this.overlayPane = new OverlayPane(this.screen, o.glyphs);
    this.detailLine = blessed.box({ parent: this.screen, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false, hidden: true, style: { fg: 'black', bg: 'white' } });
    this.dialog = new DialogWidget(this.screen);
    setColorDepth(this.screen, detectColorDepth(process.env, (this.screen as unknown as { tput: { colors: number } }).tput.colors));
    this.screen.enableMouse();
    this.screen.on('mouse', (e: MouseEvent) => {
      if (this.modal !== 'none' || this.overlay || !this.rects || this.controls.mode !== 'panes') return;
      if (handleMouse(this, this.rects, e)) this.render();
    });
    this.screen.on('keypress', (ch: string | undefined, key: Key | undefined) => {
      try {
        handleKey(this, ch, key ?? { name: '', full: '' });
      } catch (e) {
        // Keep the UI alive; the message shows at the top of the details pane.
        this.treeError = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.render();
    });
    this.screen.on('resize', () => this.render());
    this.render();
    if (o.displayFilter) this.controls.applyFilter(o.displayFilter);
  }

  get store(): FrameStore {
    return this.o.store;
  }

  get session(): Session {
    return this.o.session;
  }

  /** The listed frames changed (a filter applied): rows and details are fetched again. */
  listChanged(): void {
    this.rows.invalidate();
    this.shown = -1;
  }

  /** `:load FILE`: leaves the screen so main.ts opens `path` instead. */
  reload(path: string): void {
    this.reloadArgs = ['-r', path, ...(this.o.timeFormat ? ['-t', this.o.timeFormat] : [])];
    this.quit(0);
  }

  /** Loader callback: draw the first batch at once, later ones at a bounded rate. */
  onProgress(p: LoadProgress): void {
    const first = this.progress.frames === 0 && p.frames > 0;
    this.progress = p;
    if (first || p.done) {
      this.render();
      return;
    }
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.render();
    }, LOADING_REDRAW_MS);
  }

  // ---- actions used by the key bindings ----

  cycleFocus(step: number): void {
    const i = PANES.indexOf(this.focus);
    this.focus = PANES[(i + step + PANES.length) % PANES.length]!;
  }

  /** After the tree cursor moved: show the selected field's bytes, in its data source. */
  treeMoved(): void {
    const node = this.tree.selected()?.node;
    if (node) this.showSource(node.source ?? 0);
    if (node && node.len > 0) this.hex.moveTo(node.start);
  }

  /** After the hex cursor moved: select the field under it, among those of the shown bytes. */
  hexMoved(): void {
    this.tree.selectByOffset(this.hex.offset, this.hexSource);
  }

  /**
   * Shows data source `source` in the hex pane: 0 the frame, k the dissection's k-th (a
   * reassembled PDU, as Wireshark's byte tabs); the title names it when it is not the frame.
   */
  private showSource(source: number): void {
    if (source === this.hexSource) return;
    const other = this.sources[source - 1];
    if (source !== 0 && !other) return;
    this.hexSource = source;
    this.hex.setBytes(other ? other.bytes : this.frameData);
    this.hexPane.setTitle(other ? `Packet Bytes: ${safeText(other.name)} (${other.bytes.length} bytes)` : 'Packet Bytes');
  }

  /** ctrl-c: stops a filter or search pass, then a running live capture; anything else quits at once. */
  interrupt(): void {
    if (this.controls.interrupt()) return;
    if (this.o.live && !this.progress.done && !this.captureStopped) {
      this.captureStopped = true;
      this.o.live.stop();
      return;
    }
    this.quit(0);
  }

  /** Live capture between batches: fresh kernel counters for the status bar. */
  onLiveCounters(live: { received: number; dropped: number }): void {
    if (this.progress.done) return;
    this.progress = { ...this.progress, live };
    this.render();
  }

  askQuit(): void {
    const live = this.o.live;
    if (live?.tempFile) {
      this.modal = 'keep';
      this.dialog.show('reef', this.analysis.keepQuestion(live.tempFile));
      return;
    }
    this.modal = 'quit';
    this.dialog.show('reef', live?.writeFile ? `Quit? (y/n)\nThe capture is saved in\n  ${safeText(live.writeFile)}` : 'Quit? (y/n)');
  }

  /** ZZ and `:quit`: no "Quit?" question, but a capture in a temporary file is still offered
   * for keeping (quitting must not decide about the user's data on its own). */
  quitNow(): void {
    if (this.o.live?.tempFile) return this.askQuit();
    this.quit(0);
  }

  /** A key of the keep / save-as question about the temporary capture file. */
  keepKey(id: string, ch?: string): void {
    const r = this.analysis.keepKey(this.modal, id, ch, this.o.live?.tempFile ?? '');
    if (r.modal === 'none') return this.closeDialog();
    if (r.choice) {
      this.quitChoice = r.choice;
      return this.quit(0);
    }
    this.modal = r.modal;
    this.dialog.show('reef', r.text);
  }

  showHelp(): void {
    this.showDialog('Help (j/k scroll, other keys close)', helpText());
  }

  /** A message box that any key closes. */
  showDialog(title: string, text: string): void {
    this.modal = 'help';
    this.dialog.show(title, text);
  }

  /** j/k, pgup/pgdn in a long dialog (the help); false for other keys. */
  scrollDialog(id: string): boolean {
    const moved = this.dialog.scroll(id);
    return moved;
  }

  closeDialog(): void {
    this.modal = 'none';
    this.dialog.hide();
  }

  redraw(): void {
    this.screen.realloc();
  }

  quit(code = 0): void {
    if (this.closed) return;
    this.closed = true;
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.screen.destroy();
    this.resolveExit?.(code);
  }

  // ---- views over the panes (overlay.ts): keys C S F I E H and the `:` commands open them ----

  openConversations(): void {
    this.open(() => this.analysis.conversations());
  }

  openFollow(): void {
    this.open(() => this.analysis.follow(this.selectedFrame()));
  }

  openFlow(): void {
    this.open(() => this.analysis.flow(this.selectedFrame()));
  }

  openCapinfo(): void {
    this.open(() => this.analysis.capinfo());
  }

  openExpert(): void {
    this.open(() => this.analysis.expert());
  }

  openHierarchy(): void {
    this.open(() => this.analysis.hierarchy());
  }

  /** Opens the view `make` returns, or says why it cannot open (a string). */
  private open(make: () => Overlay | string): void {
    const view = make();
    if (typeof view === 'string') this.controls.say(view, true);
    else {
      this.controls.mode = 'panes';
      this.overlay = view;
    }
  }

  closeOverlay(): void {
    this.overlay = undefined;
    this.overlayPane.hide();
  }

  /** The display filter applied now ('' when none). */
  get displayFilter(): string {
    return this.controls.filter.applied;
  }

  /** Applies `filter` to the list as the filter bar's enter does; the error when it does not compile. */
  applyDisplayFilter(filter: string): string | undefined {
    const check = this.o.session.checkFilter(filter.trim());
    if (!check.ok) return check.message;
    this.controls.applyFilter(filter);
    return undefined;
  }

  /** Puts `filter` in the filter bar, focused, for the user to edit or apply with enter. */
  prepareFilter(filter: string): void {
    this.controls.prepareFilter(filter);
  }

  /** Selects packet `number` (or the next displayed one), after a filter being applied if any. */
  selectFrame(number: number): void {
    this.focus = 'list';
    this.controls.selectFrame(number);
  }

  /** The selected packet's frame number and details tree, from the displayed list. */
  private selectedFrame(): SelectedFrame | undefined {
    const display = this.controls.display;
    if (display.count === 0) return undefined;
    const ref = this.o.store.frame(display.storeIndex(this.list.cursor.pos));
    if (!ref) return undefined;
    const tree: TreeNode[] = this.o.session.dissect(ref.batch, ref.i).tree;
    return { number: ref.batch.meta[ref.i * META_WORDS]!, tree };
  }

  // ---- drawing ----

  render(): void {
    if (this.closed) return;
    const p = this.progress;
    // The status bar's height (more with a warning) shapes the layout.
    this.statusBar.setWarning(p.error ?? p.truncation ?? this.o.store.readError, this.o.glyphs.ellipsis);
    if (!this.controls.scan) this.controls.display.catchUp();
    this.layout();
    // Live capture: the list follows the newest packet unless the user moved up (G follows again).
    const cur = this.list.cursor;
    const following = this.o.live !== undefined && cur.pos >= cur.count - 1;
    this.list.sync();
    if (following) cur.last();
    this.showSelectedFrame();
    const g = this.o.glyphs;
    const state = p.done
      ? `${p.frames} packet${p.frames === 1 ? '' : 's'}${this.o.live ? ' (capture stopped)' : ''}`
      : this.o.live
        ? `capturing${g.ellipsis} ${p.frames} packets (ctrl-c stops)`
        : `loading${g.ellipsis} ${p.frames} packets${p.fraction === undefined ? '' : ` ${progressBar(p.fraction, g)}`}`;
    const capFilter = this.o.captureFilter ? ` (${safeText(this.o.captureFilter)})` : '';
    this.titleBar.render(`reef ${g.emDash} ${safeText(this.o.file)}${capFilter}`, state);
    const c = this.controls;
    this.filterBar.render(c.filter, c.mode === 'filter', c.filter.applied && c.mode !== 'filter' ? `applied: ${c.display.count} of ${this.o.store.count}` : '');

    const w = this.listPane.width;
    const note =
      c.display.filtered && this.o.store.count > 0
        ? 'No packets match the display filter.'
        : p.done
          ? 'No packets.'
          : this.o.live
            ? `Waiting for packets${g.ellipsis}`
            : `Loading${g.ellipsis}`;
    const { header, rows } = this.list.render(w, this.focus === 'list');
    this.listPane.render(header, rows, note);
    const treeLines = this.tree.render(g, this.focus === 'tree');
    if (this.treeError) treeLines.unshift([span(this.treeError, 'error')]);
    this.treePane.render(treeLines);
    const sel = this.tree.selected()?.node;
    // A field of another data source than the one shown highlights nothing.
    this.hexPane.render(this.hex.render((sel?.source ?? 0) === this.hexSource ? sel : undefined, this.focus === 'hex'));
    this.listPane.setFocus(this.focus === 'list');
    this.treePane.setFocus(this.focus === 'tree');
    this.hexPane.setFocus(this.focus === 'hex');
    // Always the selected row in full, so a cut cell can be read and the line never sits empty.
    const full = this.list.selectedInFull(w, false);
    if (full && this.rects && this.rects.detail.height > 0) {
      this.detailLine.setContent(escapeTags(fit(` ${full}`, this.rects.detail.width)));
      this.detailLine.show();
    } else {
      this.detailLine.hide();
    }
    const prompt = c.prompt();
    if (prompt) this.prompt.render(prompt.prefix, prompt.edit, prompt.hint, this.statusBar.height);
    else this.prompt.hide();
    const msg = c.message;
    if (this.overlay) {
      const { width, height } = this.overlayPane.size;
      const lines = this.overlay.render(width, height);
      this.overlayPane.render(this.overlay.title(), lines);
      this.statusBar.render(msg ? ` ${safeText(msg.text)}` : this.overlay.status(), this.overlay.hints());
    } else {
      // A message from the last action comes first, the counts after it.
      this.statusBar.render(msg ? ` ${safeText(msg.text)}  |${this.statusText()}` : this.statusText(), '? help  q quit');
    }
    this.screen.render();
  }

  private statusText(): string {
    const total = this.o.store.count;
    const parts = [`Packets: ${total}`, ...this.controls.statusParts()];
    const live = this.progress.live;
    if (live) parts.push(`Dropped: ${live.dropped}`);
    const number = this.list.selectedNumber();
    if (number !== undefined) parts.push(`Selected: ${number}`);
    const node = this.tree.selected()?.node;
    if (this.focus !== 'list' && node) {
      parts.push(node.len > 0 ? `${safeText(node.field)} (${node.len} byte${node.len === 1 ? '' : 's'})` : safeText(node.field));
    }
    if (this.focus === 'hex' && this.hex.length > 0) parts.push(`Offset: 0x${this.hex.offset.toString(16).padStart(4, '0')}`);
    return ` ${parts.join('  ')}`;
  }

  /** Places the panes for the current layout (layout.ts), under the title and filter bars. */
  private layout(): void {
    const width = this.screen.width as number;
    const h = Math.max(12, this.screen.height as number);
    const promptH = this.controls.mode === 'command' || this.controls.mode === 'search' ? 1 : 0;
    const area = { top: 2, width, height: h - 2 - this.statusBar.height - promptH };
    // The line with the selected row in full, when the list is wide enough to need it at all.
    const r = layoutPanes(this.controls.layout, area, this.controls.maximized, true);
    this.rects = r;
    const place = (box: blessed.Widgets.BoxElement, rect: Rect) => {
      if (rect.width === 0 || rect.height === 0) return box.hide();
      box.show();
      box.top = rect.top;
      box.left = rect.left;
      box.width = rect.width;
      box.height = rect.height;
    };
    place(this.listPane.box, r.list);
    place(this.treePane.box, r.tree);
    place(this.hexPane.box, r.hex);
    this.overlayPane.place(area.top, Math.max(3, area.height));
    this.detailLine.top = r.detail.top;
    this.detailLine.left = r.detail.left;
    this.detailLine.width = Math.max(1, r.detail.width);
    this.list.cursor.setHeight(this.listPane.rowCapacity);
    this.tree.cursor.setHeight(this.treePane.capacity);
    this.hex.cursor.setHeight(this.hexPane.capacity);
  }

  /** Dissects the selected frame when the selection changed. */
  private showSelectedFrame(): void {
    const display = this.controls.display;
    const index = display.count === 0 ? -1 : display.storeIndex(this.list.cursor.pos);
    if (index === this.shown) return;
    this.shown = index;
    this.treeError = undefined;
    const ref = this.o.store.frame(index);
    this.sources = [];
    this.hexSource = 0;
    this.hexPane.setTitle('Packet Bytes');
    if (!ref) {
      this.tree.setTree([]);
      this.frameData = new Uint8Array(0);
      this.hex.setBytes(this.frameData);
      return;
    }
    try {
      const d = this.o.session.dissect(ref.batch, ref.i);
      this.tree.setTree(d.tree);
      this.sources = d.sources;
    } catch (e) {
      this.tree.setTree([]);
      this.treeError = `cannot dissect this frame: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.frameData = frameBytes(ref.batch, ref.i);
    this.hex.setBytes(this.frameData);
    const node = this.tree.selected()?.node;
    if (node) this.showSource(node.source ?? 0);
    this.hex.moveTo(node && node.len > 0 ? node.start : 0);
  }
}

/** Summary rows with their coloring rule's colors. */
function listRows(session: Session, rules: readonly ColorRule[], batch: FrameBatch, start: number, count: number): ListRow[] {
  const rows = summaryRows(session, batch, start, count);
  let colors: number[] = [];
  try {
    if (rules.length > 0) colors = session.colorFrames(batch, start, count);
  } catch {
    // Uncolored rather than no list.
  }
  return rows.map((row, k) => {
    const rule = rules[colors[k] ?? -1];
    return rule ? { row, color: { fg: rule.fg, bg: rule.bg } } : { row };
  });
}

/** tshark's `-t dd` under a display filter: seconds since the previous displayed frame. */
function deltaDisplayed(store: FrameStore, display: DisplayList, i: number): string | undefined {
  const at = (row: number): { ns: bigint; digits: number } | undefined => {
    const ref = store.locate(display.storeIndex(row));
    if (!ref) return undefined;
    const m = ref.i * META_WORDS;
    const secs = BigInt(ref.batch.meta[m + 4]!) + (BigInt(ref.batch.meta[m + 5]! | 0) << 32n);
    return { ns: secs * 1_000_000_000n + BigInt(ref.batch.meta[m + 6]!), digits: ref.batch.meta[m + 9]! & 0xff };
  };
  const cur = at(i);
  if (!cur) return undefined;
  const prev = i > 0 ? at(i - 1) : cur;
  return formatSeconds(cur.ns - (prev ?? cur).ns, cur.digits);
}

/** Seconds with `digits` decimals, as the core's `write_seconds`. */
export function formatSeconds(ns: bigint, digits: number): string {
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const secs = abs / 1_000_000_000n;
  const d = Math.min(9, digits);
  const frac = (abs % 1_000_000_000n) / 10n ** BigInt(9 - d);
  return `${neg ? '-' : ''}${secs}${d === 0 ? '' : '.' + frac.toString().padStart(d, '0')}`;
}

/** `session.rows`, or placeholder rows saying why not, so one bad frame cannot take the list down. */
function summaryRows(session: Session, batch: FrameBatch, start: number, count: number): Row[] {
  try {
    return session.rows(batch, start, count);
  } catch (e) {
    const why = `cannot summarize: ${e instanceof Error ? e.message : String(e)}`;
    return Array.from({ length: count }, (_, k): Row => {
      const m = (start + k) * META_WORDS;
      return [batch.meta[m]!, '', '', '', '?', batch.meta[m + 2]!, why];
    });
  }
}
