/**
 * The main screen's vim/termshark controls on top of the panes: the display filter bar and
 * applying a filter to every frame, numeric prefixes, marks, search, the `:` command line,
 * layouts, maximizing, mouse, and a transient message in the status bar.
 */
import { stat } from 'node:fs/promises';
import { FilterSyntaxError, type FrameBatchLike } from '@reef/dissect';
import type { ColorDepth } from '../state/colors.js';
import { DisplayList, IndexList, testFrames } from '../state/display-list.js';
import { FilterBarState } from '../state/filter-bar.js';
import { FrameScan, type ScanProgress } from '../state/frame-scan.js';
import { LineEdit } from '../state/line-edit.js';
import { safeText } from '../state/text.js';
import { setColorDepth } from '../widgets/palette.js';
import { completeCommandLine, runCommandLine, type CommandHost, type ViewName } from './commands.js';
import { LAYOUTS, type LayoutName } from './layout.js';
import type { MainView, Pane } from './main-view.js';
import { findMatch, parseSearch, SEARCH_KINDS, type SearchKind, type SearchSpec } from './search.js';

type Prompt = 'command' | 'search';

/** The filter pass's name (status bar) and how a view's selection waits for it. */
const FILTERING = 'Filtering';

export class Controls implements CommandHost {
  readonly filter: FilterBarState;
  readonly display: DisplayList;
  /** Where keys go first: the filter bar, a prompt, or the panes. */
  mode: 'panes' | 'filter' | Prompt = 'panes';
  layout: LayoutName = 'stacked';
  maximized: Pane | undefined;
  readonly command = new LineEdit();
  readonly search = new LineEdit();
  searchKind: SearchKind = 'string';
  lastSearch: SearchSpec | undefined;
  /** Candidates after tab on the command line. */
  candidates: string[] = [];
  /** A numeric prefix being typed (e.g. the 5 of 5j). */
  count = '';
  /** `m`, `'` or `Z` waiting for its second key. */
  private pending: 'm' | "'" | 'Z' | undefined;
  /** Marks: letter -> frame number. */
  readonly marks = new Map<string, number>();
  /** The frame selected before the last jump (`''` returns to it). */
  private jumpedFrom: number | undefined;
  message: { text: string; error: boolean } | undefined;
  /** A filter or search pass over many frames. */
  scan: { job: FrameScan; progress?: ScanProgress } | undefined;
  /** Packet number a view asked to select once the filter pass running now is done. */
  private wantFrame: number | undefined;

  constructor(private readonly v: MainView) {
    this.display = new DisplayList(v.store);
    this.filter = new FilterBarState({ check: (t) => v.session.checkFilter(t), complete: (t) => v.session.complete(t) });
  }

  // ---- keys ----

  /** Handles a key before the panes do; true when it was taken. */
  key(id: string, ch: string | undefined): boolean {
    this.message = undefined;
    if (this.mode === 'filter') return this.filterKey(id, ch);
    if (this.mode === 'command' || this.mode === 'search') return this.promptKey(id, ch);
    const pending = this.pending;
    this.pending = undefined;
    if (pending === 'm' || pending === "'") {
      if (pending === 'm' && /^[a-z]$/.test(id)) this.setMark(id);
      else if (pending === "'" && /^[a-z]$/.test(id)) this.gotoMark(id);
      else if (pending === "'" && id === "'") this.jumpBack();
      return true;
    }
    if (pending === 'Z') {
      if (id === 'Z') this.v.quitNow();
      return true;
    }
    if (/^[0-9]$/.test(id) && (this.count !== '' || id !== '0')) {
      this.count = (this.count + id).slice(0, 9);
      return true;
    }
    const count = this.count === '' ? undefined : Number(this.count);
    if (count !== undefined && id !== 'g') this.count = '';
    switch (id) {
      case '/':
        return this.enter('filter');
      case ':':
        return this.enter('command');
      case 'C-f':
        return this.enter('search');
      case 'n':
        return this.findNext(1), true;
      case 'N':
        return this.findNext(-1), true;
      case 'm':
      case "'":
      case 'Z':
        this.pending = id;
        return true;
      case '|':
        this.layout = LAYOUTS[(LAYOUTS.indexOf(this.layout) + 1) % LAYOUTS.length]!;
        this.maximized = undefined;
        return true;
      case '\\':
        this.maximized = this.maximized ? undefined : this.v.focus;
        return true;
      case 'escape':
        this.count = '';
        return true;
    }
    if (count === undefined) return false;
    // A count before a motion.
    switch (id) {
      case 'j':
      case 'down':
        return this.moveBy(count), true;
      case 'k':
      case 'up':
        return this.moveBy(-count), true;
      case 'G':
        return this.gotoFrame(count), true;
      case 'g':
        if (this.v.pendingG) {
          this.v.pendingG = false;
          this.count = '';
          this.gotoFrame(count);
        } else {
          this.v.pendingG = true;
        }
        return true;
    }
    return false;
  }

  private enter(mode: 'filter' | Prompt): boolean {
    this.mode = mode;
    this.count = '';
    if (mode === 'filter') this.filter.set(this.filter.applied);
    if (mode === 'command') this.command.set('');
    if (mode === 'search') this.search.set('');
    this.candidates = [];
    return true;
  }

  private moveBy(n: number): void {
    const v = this.v;
    if (v.focus === 'list') v.list.cursor.moveBy(n);
    else if (v.focus === 'tree') {
      v.tree.cursor.moveBy(n);
      v.treeMoved();
    } else {
      v.hex.moveBy(16 * n);
      v.hexMoved();
    }
  }

  private filterKey(id: string, ch: string | undefined): boolean {
    const f = this.filter;
    const open = f.completions.length > 0;
    switch (id) {
      case 'escape':
        if (open) f.closeCompletions();
        else this.mode = 'panes';
        return true;
      case 'enter': {
        if (open && f.completionIndex >= 0) {
          f.acceptCompletion();
          return true;
        }
        const text = f.submit();
        if (text === undefined) {
          this.say(`invalid filter: ${f.message}`, true);
          return true;
        }
        this.mode = 'panes';
        this.applyFilter(text);
        return true;
      }
      case 'tab':
        if (!open) f.openCompletions();
        else f.acceptCompletion();
        return true;
      case 'up':
      case 'C-p':
        if (open) f.moveCompletion(-1);
        else if (f.edit.recall(-1)) f.validate();
        return true;
      case 'down':
      case 'C-n':
        if (open) f.moveCompletion(1);
        else if (f.edit.recall(1)) f.validate();
        return true;
    }
    if (f.edit.key(id, ch)) {
      if (!['left', 'right', 'home', 'end', 'C-a', 'C-e', 'C-b', 'C-f'].includes(id)) f.changed();
      else f.closeCompletions();
    }
    return true;
  }

  private promptKey(id: string, ch: string | undefined): boolean {
    const edit = this.mode === 'command' ? this.command : this.search;
    switch (id) {
      case 'escape':
        this.mode = 'panes';
        return true;
      case 'enter': {
        const mode = this.mode;
        const text = edit.text;
        edit.remember(text);
        this.mode = 'panes';
        if (mode === 'command') runCommandLine(this, text);
        else this.startSearch(text);
        return true;
      }
      case 'tab':
        if (this.mode === 'search') {
          this.searchKind = SEARCH_KINDS[(SEARCH_KINDS.indexOf(this.searchKind) + 1) % SEARCH_KINDS.length]!;
          return true;
        }
        this.completeCommand();
        return true;
      case 'up':
        edit.recall(-1);
        return true;
      case 'down':
        edit.recall(1);
        return true;
    }
    if (edit.key(id, ch)) this.candidates = [];
    return true;
  }

  private completeCommand(): void {
    const before = this.command.text.slice(0, this.command.pos);
    const { start, words } = completeCommandLine(this, before);
    this.candidates = words;
    if (words.length === 0) return;
    // The longest common prefix goes in; a single candidate is completed with a space.
    let common = words[0]!;
    for (const w of words) while (!w.startsWith(common)) common = common.slice(0, -1);
    const single = words.length === 1 && !common.endsWith('/');
    this.command.replaceBefore(start, common + (single ? ' ' : ''));
    if (single) this.candidates = [];
  }

  /** ctrl-c: stops a filter or search pass, or closes an input; false when nothing was. */
  interrupt(): boolean {
    if (this.scan) {
      this.scan.job.cancel();
      return true;
    }
    if (this.mode !== 'panes') {
      this.mode = 'panes';
      return true;
    }
    return false;
  }

  // ---- the display filter ----

  /** Applies `text` to every frame (in slices, with progress), keeping the selection if shown. */
  applyFilter(text: string): void {
    void this.runFilter(text.trim());
  }

  private async runFilter(text: string): Promise<void> {
    const v = this.v;
    this.scan?.job.cancel();
    if (text === this.filter.applied && this.scan === undefined) {
      this.say(text ? 'Same filter - nothing to do' : 'No filter to clear');
      return;
    }
    const previous = this.filter.applied;
    const selectedNow = this.display.count > 0 ? this.display.storeIndex(v.list.cursor.pos) : undefined;
    this.wantFrame = undefined;
    try {
      v.session.setDisplayFilter(text);
    } catch (e) {
      if (e instanceof FilterSyntaxError) return this.say(`invalid filter: ${e.message}`, true);
      throw e;
    }
    if (text) this.filter.edit.remember(text);
    const test = (b: FrameBatchLike, s: number, n: number) => v.session.filterFrames(b, s, n);
    const prejudge = (b: FrameBatchLike, s: number, n: number) => v.session.prejudgeFrames(b, s, n);
    const matches = new IndexList();
    let tested = 0;
    const job = new FrameScan(FILTERING);
    this.scan = { job };
    const finished =
      !text ||
      (await job.run(
        0,
        () => v.store.count,
        (from, to) => {
          testFrames(v.store, test, from, to, matches, prejudge);
          tested = to;
        },
        (p) => {
          if (this.scan?.job === job) this.scan.progress = p;
          v.render();
        },
      ));
    const current = this.scan?.job === job;
    if (current) this.scan = undefined;
    // The packet a view asked for (its frame number is its store index + 1), else the one selected before.
    let selected = selectedNow;
    if (current && this.wantFrame !== undefined) {
      selected = this.wantFrame - 1;
      this.wantFrame = undefined;
    }
    if (!finished) {
      // Cancelled (or replaced by a newer filter): the list keeps showing the previous one.
      if (job.cancelled && this.scan === undefined) {
        v.session.setDisplayFilter(previous);
        this.say('Filtering cancelled');
        v.render();
      }
      return;
    }
    if (text) this.display.showMatches(matches, tested, test);
    else this.display.showAll();
    this.filter.applied = text;
    this.filter.set(text);
    v.listChanged();
    if (selected !== undefined) this.selectStoreIndex(selected);
    // Before any packet (a live capture's -Y) there is nothing to count yet.
    if (v.store.count > 0 || !text) this.say(text ? `Displayed ${this.display.count} of ${v.store.count} packets` : 'Filter cleared');
    v.render();
  }

  /** Selects store frame `index`, or the nearest displayed one after it (before it at the end). */
  private selectStoreIndex(index: number): void {
    const row = this.display.rowOf(index) ?? Math.min(this.display.rowAtOrAfter(index), this.display.count - 1);
    this.v.list.cursor.setCount(this.display.count);
    this.v.list.cursor.moveTo(Math.max(0, row));
  }

  /** A view's "go to packet N": now, or once the filter it just applied has run. */
  selectFrame(n: number): void {
    if (this.scan?.job.what === FILTERING) this.wantFrame = n;
    else if (this.display.count > 0) this.selectStoreIndex(n - 1);
  }

  /** A view's "prepare filter": the text in the filter bar, focused and checked, not applied. */
  prepareFilter(text: string): void {
    this.mode = 'filter';
    this.count = '';
    this.filter.set(text);
    this.say('Prepared filter: enter applies it, esc leaves it unapplied');
  }

  // ---- marks and jumps ----

  private setMark(letter: string): void {
    const n = this.v.list.selectedNumber();
    if (n === undefined) return this.say('no packet to mark', true);
    this.marks.set(letter, n);
    this.say(`mark ${letter}: packet ${n}`);
  }

  private gotoMark(letter: string): void {
    const n = this.marks.get(letter);
    if (n === undefined) return this.say(`mark ${letter} is not set`, true);
    this.gotoFrame(n);
  }

  private jumpBack(): void {
    if (this.jumpedFrom === undefined) return this.say('no earlier position', true);
    this.gotoFrame(this.jumpedFrom);
  }

  /** Selects packet number `n` (frame numbers are store index + 1), or says why not. */
  gotoFrame(n: number): void {
    const v = this.v;
    const index = n - 1;
    if (index < 0 || index >= v.store.count || v.store.frameNumber(index) !== n) return this.say(`no packet ${n}`, true);
    const row = this.display.rowOf(index);
    if (row === undefined) return this.say(`packet ${n} is hidden by the display filter`, true);
    this.jumpedFrom = v.list.selectedNumber();
    v.focus = 'list';
    v.list.cursor.moveTo(row);
  }

  showMarks(): void {
    const lines = [...this.marks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([l, n]) => `${l}  packet ${n}${this.display.rowOf(n - 1) === undefined ? '  (hidden by the filter)' : ''}`);
    this.v.showDialog('Marks', lines.length ? lines.join('\n') : "No marks: m a-z sets one, ' a-z goes to it.");
  }

  // ---- search ----

  private startSearch(text: string): void {
    if (!text) return;
    const spec = parseSearch(this.searchKind, text);
    if (typeof spec === 'string') return this.say(spec, true);
    if (spec.kind === 'filter') {
      const check = this.v.session.checkFilter(spec.text);
      if (!check.ok) return this.say(`invalid filter: ${check.message}`, true);
    }
    this.lastSearch = spec;
    this.findNext(1);
  }

  private findNext(dir: 1 | -1): void {
    const spec = this.lastSearch;
    if (!spec) return this.say('no search yet (ctrl-f)', true);
    if (this.scan) return this.say('busy: ctrl-c stops the running pass', true);
    void this.runSearch(spec, dir);
  }

  private async runSearch(spec: SearchSpec, dir: 1 | -1): Promise<void> {
    const v = this.v;
    const job = new FrameScan('Searching');
    this.scan = { job };
    const found = await findMatch(spec, dir, v.list.cursor.pos, {
      display: this.display,
      session: v.session,
      store: v.store,
      appliedFilter: this.filter.applied,
      job,
      progress: (p) => {
        if (this.scan?.job === job) this.scan.progress = p;
        v.render();
      },
    });
    if (this.scan?.job === job) this.scan = undefined;
    if (job.cancelled) this.say('Search cancelled');
    else if (found === undefined) this.say(`Not found: ${safeText(spec.text)}`, true);
    else {
      this.jumpedFrom = v.list.selectedNumber();
      v.focus = 'list';
      v.list.cursor.moveTo(found);
      this.say(`Found in packet ${v.list.selectedNumber()} (n / N: next / previous)`);
    }
    v.render();
  }

  // ---- CommandHost ----

  loadFile(path: string): void {
    void stat(path).then(
      (s) => (s.isFile() || s.isFIFO() ? this.v.reload(path) : this.say(`load: ${safeText(path)} is not a file`, true)),
      () => {
        this.say(`load: ${safeText(path)}: no such file`, true);
        this.v.render();
      },
    );
  }

  setOption(key: string, value: string): void {
    if (key === 'layout') {
      this.layout = value as LayoutName;
      this.maximized = undefined;
    } else if (key === 'colors') {
      if (value === 'off' || value === 'on') this.v.list.colored = value === 'on';
      else {
        setColorDepth(this.v.screen, value as ColorDepth);
        this.v.list.colored = value !== 'none';
      }
    }
    this.say(`${key} ${value}`);
  }

  openView(name: ViewName): void {
    this.v[name]();
  }

  quitNow(): void {
    this.v.quitNow();
  }

  showHelp(): void {
    this.v.showHelp();
  }

  completeFilter(text: string): { start: number; words: string[] } {
    const c = this.v.session.complete(text);
    return { start: c.start, words: c.fields.map((f) => f.abbrev) };
  }

  say(text: string, error = false): void {
    this.message = { text, error };
  }

  // ---- status ----

  /** Status bar parts: displayed and marked counts, a running pass's progress. */
  statusParts(): string[] {
    const parts: string[] = [];
    if (this.display.filtered) parts.push(`Displayed: ${this.display.count}`);
    if (this.marks.size > 0) parts.push(`Marked: ${this.marks.size}`);
    const p = this.scan?.progress;
    if (this.scan) parts.push(`${this.scan.job.what}${p ? ` ${Math.floor((100 * p.done) / Math.max(1, p.total))}%` : ''} (ctrl-c stops)`);
    if (this.count) parts.push(`count ${this.count}`);
    if (this.pending) parts.push(`${this.pending}-`);
    return parts;
  }

  /** The prompt line, when one is open: its prefix, input and hint. */
  prompt(): { prefix: string; edit: LineEdit; hint: string } | undefined {
    if (this.mode === 'command') return { prefix: ':', edit: this.command, hint: this.candidates.slice(0, 20).join('  ') };
    if (this.mode === 'search') return { prefix: `Search [${this.searchKind}]: `, edit: this.search, hint: 'tab: string/regex/hex/filter' };
    return undefined;
  }
}
