/**
 * The main screen: title bar, packet list, details tree, hex pane and status bar stacked
 * termshark-style; owns the focus, the modal dialogs and the key bindings (see keys.ts).
 */
import blessed from 'blessed';
import type { Writable } from 'node:stream';
import { META_WORDS, type FrameBatch } from '@reef/capture';
import type { Row, Session } from '@reef/dissect';
import type { FrameStore } from '../state/frame-store.js';
import type { Glyphs } from '../state/glyphs.js';
import { HexState } from '../state/hex-state.js';
import { ListState } from '../state/list-state.js';
import type { LoadProgress } from '../state/loader.js';
import { RowCache } from '../state/row-cache.js';
import { safeText, span } from '../state/text.js';
import { TreeState } from '../state/tree-state.js';
import { LinePane } from '../widgets/line-pane.js';
import { DialogWidget } from '../widgets/dialog.js';
import { OverlayPane } from '../widgets/overlay-pane.js';
import { DisplayedFrames } from '../state/displayed-frames.js';
import { AnalysisViews, type QuitChoice } from './analysis-views.js';
import type { CaptureFacts } from './info-view.js';
import type { Overlay, OverlayHost } from './overlay.js';
import { PacketListWidget } from '../widgets/packet-list.js';
import { StatusBarWidget } from '../widgets/status-bar.js';
import { TitleBarWidget } from '../widgets/title-bar.js';
import { HELP_TEXT, handleKey, type Key } from './keys.js';

export type Pane = 'list' | 'tree' | 'hex';
export const PANES: readonly Pane[] = ['list', 'tree', 'hex'];

export interface MainViewOptions {
  /** The capture's name as the user gave it. */
  file: string;
  store: FrameStore;
  session: Session;
  glyphs: Glyphs;
  /** Live capture: the title says so, ctrl-c stops capturing (not the program). `tempFile`: the
   * capture goes to this temporary file, offered for keeping on quit. */
  live?: { stop(): void; tempFile?: string; writeFile?: string };
  /** What the reader knew about the capture file (for its properties). */
  capture?: CaptureFacts;
  /** The display filter to apply from the start (`reef -r FILE FILTER`). */
  displayFilter?: string;
  /** Keyboard input when stdin carries the capture (a pipe): the terminal itself. */
  input?: NodeJS.ReadableStream;
}

/** Redraws while loading are at most this often (the first batch is drawn at once). */
const LOADING_REDRAW_MS = 100;

export class MainView implements OverlayHost {
  readonly screen: blessed.Widgets.Screen;
  readonly list: ListState;
  readonly tree = new TreeState();
  readonly hex = new HexState();
  focus: Pane = 'list';
  /** 'quit' while the "Quit? (y/n)" question is up, 'help' while the help is; 'keep' and
   * 'saveas' ask what becomes of a live capture's temporary file. */
  modal: 'none' | 'quit' | 'help' | 'keep' | 'saveas' = 'none';
  /** The full-screen view open over the panes (conversations, follow, flow, reports). */
  overlay: Overlay | undefined;
  /** The frames the list shows: all, or those passing the display filter. */
  readonly displayed: DisplayedFrames;
  /** Conversations, follow, flow and the reports (analysis-views.ts). */
  readonly analysis: AnalysisViews;
  /** The first `g` of `g g` was pressed. */
  pendingG = false;

  private readonly rows: RowCache;
  private readonly titleBar: TitleBarWidget;
  private readonly listPane: PacketListWidget;
  private readonly treePane: LinePane;
  private readonly hexPane: LinePane;
  private readonly statusBar: StatusBarWidget;
  private readonly dialog: DialogWidget;
  private readonly overlayPane: OverlayPane;
  /** A one-off message for the status bar (cleared by the next key). */
  private message = '';
  /** A filter prepared (not applied) from a view, shown until applied or replaced. */
  preparedFilter = '';
  /** Frame to select once the display filter has been run far enough to show it. */
  private wantFrame: number | undefined;
  private filterTimer: NodeJS.Immediate | undefined;
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
    this.displayed = new DisplayedFrames(o.store, (batch, start, count) => o.session.filterFrames(batch, start, count));
    this.rows = new RowCache(this.displayed, (batch, start, count) => summaryRows(o.session, batch, start, count));
    this.list = new ListState(this.displayed, this.rows, o.glyphs.ellipsis);
    this.analysis = new AnalysisViews(this, o.session, o.store, o.glyphs, o.capture);
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
    this.overlayPane = new OverlayPane(this.screen, o.glyphs);
    this.dialog = new DialogWidget(this.screen);
    this.screen.on('keypress', (ch: string | undefined, key: Key | undefined) => {
      this.message = '';
      try {
        handleKey(this, ch, key ?? { name: '', full: '' });
      } catch (e) {
        // Keep the UI alive; the message shows at the top of the details pane.
        this.treeError = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.render();
    });
    this.screen.on('resize', () => this.render());
    if (o.displayFilter) {
      const error = this.applyDisplayFilter(o.displayFilter);
      if (error) this.message = `display filter ${o.displayFilter}: ${error}`;
    }
    this.render();
  }

  /** Loader callback: draw the first batch at once, later ones at a bounded rate. */
  onProgress(p: LoadProgress): void {
    const first = this.progress.frames === 0 && p.frames > 0;
    this.progress = p;
    if (this.displayed.pending > 0) this.scheduleFiltering();
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

  /** After the tree cursor moved: show the selected field's bytes. */
  treeMoved(): void {
    const node = this.tree.selected()?.node;
    if (node && node.len > 0) this.hex.moveTo(node.start);
  }

  /** After the hex cursor moved: select the field under it. */
  hexMoved(): void {
    this.tree.selectByOffset(this.hex.offset);
  }

  /** ctrl-c: stops a running live capture; anything else quits at once. */
  interrupt(): void {
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

  /** The keep/delete question's keys; `choice` is carried out after the capture file is closed. */
  quitChoice: QuitChoice = { action: 'keep' };

  keepKey(id: string): void {
    const r = this.analysis.keepKey(this.modal, id, this.o.live?.tempFile ?? '');
    if (r.modal === 'none') return this.closeDialog();
    if (r.choice) {
      this.quitChoice = r.choice;
      return this.quit(0);
    }
    this.modal = r.modal;
    this.dialog.show('reef', r.text);
  }

  showHelp(): void {
    this.modal = 'help';
    this.dialog.show('Help (any key closes)', HELP_TEXT);
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
    if (this.filterTimer) clearImmediate(this.filterTimer);
    this.screen.destroy();
    this.resolveExit?.(code);
  }

  // ---- views over the panes (overlay.ts); the `:` command line calls these too ----

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

  /** Opens the view `make` returns, or shows why it cannot open (a string). */
  private open(make: () => Overlay | string): void {
    const view = make();
    if (typeof view === 'string') this.message = view;
    else this.overlay = view;
  }

  closeOverlay(): void {
    this.overlay = undefined;
    this.overlayPane.hide();
  }

  get displayFilter(): string {
    return this.displayed.filter;
  }

  /** Sets the display filter and re-runs it over the loaded frames (in the background). */
  applyDisplayFilter(filter: string): string | undefined {
    const text = filter.trim();
    try {
      this.o.session.setDisplayFilter(text);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    this.wantFrame = this.list.selectedNumber();
    this.displayed.setFilter(text);
    this.rows.invalidate();
    this.shown = -1;
    if (this.preparedFilter === text) this.preparedFilter = '';
    this.list.cursor.moveTo(0);
    this.scheduleFiltering();
    return undefined;
  }

  prepareFilter(filter: string): void {
    this.preparedFilter = filter;
  }

  selectFrame(number: number): void {
    this.wantFrame = number;
    this.seekWantedFrame();
    this.focus = 'list';
  }

  /** The selected packet's frame number and details tree. */
  private selectedFrame(): { number: number; tree: import('@reef/dissect').TreeNode[] } | undefined {
    const ref = this.displayed.locate(this.list.cursor.pos);
    if (!ref) return undefined;
    return { number: ref.batch.meta[ref.i * META_WORDS]!, tree: this.o.session.dissect(ref.batch, ref.i).tree };
  }

  /** Runs the display filter over untested frames a slice at a time, redrawing in between. */
  private scheduleFiltering(): void {
    if (this.filterTimer || this.closed) return;
    this.filterTimer = setImmediate(() => {
      this.filterTimer = undefined;
      if (this.closed) return;
      const done = this.displayed.advance(50);
      this.seekWantedFrame(done);
      this.render();
      if (!done) this.scheduleFiltering();
    });
  }

  /** Selects `wantFrame` once it is displayed, or the nearest one after when filtering is done. */
  private seekWantedFrame(done = this.displayed.pending === 0): void {
    if (this.wantFrame === undefined) return;
    this.list.sync();
    const at = this.displayed.indexAtOrAfter(this.wantFrame);
    const exact = this.displayed.frameNumber(at) === this.wantFrame;
    if (!exact && !done) return;
    this.list.cursor.moveTo(at);
    this.wantFrame = undefined;
  }

  // ---- drawing ----

  render(): void {
    if (this.closed) return;
    const p = this.progress;
    // The status bar's height (more with a warning) shapes the layout.
    this.statusBar.setWarning(p.error ?? p.truncation, this.o.glyphs.ellipsis);
    this.layout();
    // Live capture: the list follows the newest packet unless the user moved up (G follows again).
    const c = this.list.cursor;
    const following = this.o.live !== undefined && c.pos >= c.count - 1;
    this.list.sync();
    if (following) c.last();
    this.showSelectedFrame();
    const g = this.o.glyphs;
    const state = p.done
      ? `${p.frames} packet${p.frames === 1 ? '' : 's'}${this.o.live ? ' (capture stopped)' : ''}`
      : this.o.live
        ? `capturing${g.ellipsis} ${p.frames} packets (ctrl-c stops)`
        : `loading${g.ellipsis} ${p.frames} packets${p.fraction === undefined ? '' : ` (${Math.floor(p.fraction * 100)}%)`}`;
    const filtering = this.displayed.pending > 0 ? ` (filtering ${Math.floor(this.displayed.progress * 100)}%)` : '';
    const filter = this.displayed.filter ? ` ${g.emDash} filter: ${safeText(this.displayed.filter)}${filtering}` : '';
    this.titleBar.render(`reef ${g.emDash} ${safeText(this.o.file)}${filter}`, state);

    const w = this.listPane.width;
    const note = this.displayed.filter && this.o.store.count > 0
      ? this.displayed.pending > 0 ? `Filtering${g.ellipsis}` : 'No packets match the display filter.'
      : p.done ? 'No packets.' : this.o.live ? `Waiting for packets${g.ellipsis}` : `Loading${g.ellipsis}`;
    const { header, rows } = this.list.render(w, this.focus === 'list');
    this.listPane.render(header, rows, note);
    const treeLines = this.tree.render(g, this.focus === 'tree');
    if (this.treeError) treeLines.unshift([span(this.treeError, 'error')]);
    this.treePane.render(treeLines);
    const sel = this.tree.selected()?.node;
    this.hexPane.render(this.hex.render(sel, this.focus === 'hex'));
    this.listPane.setFocus(this.focus === 'list');
    this.treePane.setFocus(this.focus === 'tree');
    this.hexPane.setFocus(this.focus === 'hex');
    if (this.overlay) {
      const { width, height } = this.overlayPane.size;
      const lines = this.overlay.render(width, height);
      this.overlayPane.render(this.overlay.title(), lines);
      this.statusBar.render(this.message ? ` ${this.message}` : this.overlay.status(), this.overlay.hints());
    } else {
      this.statusBar.render(this.message ? ` ${safeText(this.message)}` : this.statusText(), '? help  q quit');
    }
    this.screen.render();
  }

  private statusText(): string {
    const total = this.o.store.count;
    const parts = [`Packets: ${total}`];
    if (this.displayed.filter) parts.push(`Displayed: ${this.displayed.count}`);
    if (this.preparedFilter) parts.push(`Prepared filter: ${safeText(this.preparedFilter)}`);
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

  /** Splits the height between the panes: list 45%, tree 30%, hex the rest. */
  private layout(): void {
    const h = Math.max(12, this.screen.height as number);
    const avail = h - 1 - this.statusBar.height;
    const list = Math.max(5, Math.round(avail * 0.45));
    const tree = Math.max(4, Math.round(avail * 0.3));
    const hex = Math.max(3, avail - list - tree);
    const place = (box: blessed.Widgets.BoxElement, top: number, height: number) => {
      box.top = top;
      box.height = height;
    };
    place(this.listPane.box, 1, list);
    place(this.treePane.box, 1 + list, tree);
    place(this.hexPane.box, 1 + list + tree, hex);
    this.overlayPane.place(1, avail);
    this.list.cursor.setHeight(this.listPane.rowCapacity);
    this.tree.cursor.setHeight(this.treePane.capacity);
    this.hex.cursor.setHeight(this.hexPane.capacity);
  }

  /** Dissects the selected frame when the selection changed. */
  private showSelectedFrame(): void {
    const index = this.displayed.count === 0 ? -1 : this.list.cursor.pos;
    if (index === this.shown) return;
    this.shown = index;
    this.treeError = undefined;
    const ref = this.displayed.locate(index);
    if (!ref) {
      this.tree.setTree([]);
      this.hex.setBytes(new Uint8Array(0));
      return;
    }
    try {
      this.tree.setTree(this.o.session.dissect(ref.batch, ref.i).tree);
    } catch (e) {
      this.tree.setTree([]);
      this.treeError = `cannot dissect this frame: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.hex.setBytes(this.displayed.bytes(index) ?? new Uint8Array(0));
    const node = this.tree.selected()?.node;
    this.hex.moveTo(node && node.len > 0 ? node.start : 0);
  }
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
