/**
 * The details tree of the selected frame as a list of visible lines. Which nodes are expanded is
 * remembered by field path (e.g. `tcp`, `tcp/tcp.flags`) across frames, as termshark does, and
 * the cursor stays on the same path when another frame is shown.
 */
import type { TreeNode } from '@reef/dissect';
import { Cursor } from './cursor.js';
import type { Glyphs } from './glyphs.js';
import { safeText, span, type Line } from './text.js';

export interface TreeLine {
  node: TreeNode;
  /** Field path from the root; a repeated sibling field gets `#k` (k >= 1). */
  path: string;
  depth: number;
  /** Index of the parent's line, -1 for a top-level node. */
  parent: number;
  hasChildren: boolean;
  expanded: boolean;
}

export class TreeState {
  readonly cursor = new Cursor();
  private readonly expanded = new Set<string>();
  private roots: readonly TreeNode[] = [];
  private lines: TreeLine[] = [];

  /** Shows another frame's tree, keeping expansion and (where it still exists) the selected path. */
  setTree(roots: readonly TreeNode[]): void {
    const path = this.selected()?.path;
    this.roots = roots;
    this.rebuild();
    this.cursor.moveTo(path === undefined ? 0 : this.nearest(path));
  }

  get visible(): readonly TreeLine[] {
    return this.lines;
  }

  selected(): TreeLine | undefined {
    return this.lines[this.cursor.pos];
  }

  isExpanded(path: string): boolean {
    return this.expanded.has(path);
  }

  /** Expands the selected node; on an expanded one, moves to its first child. */
  expand(): void {
    const line = this.selected();
    if (!line?.hasChildren) return;
    if (line.expanded) this.cursor.moveBy(1);
    else this.setExpanded(line.path, true);
  }

  /** Collapses the selected node, or moves to its parent when it is collapsed or a leaf. */
  collapse(): void {
    const line = this.selected();
    if (!line) return;
    if (line.expanded) this.setExpanded(line.path, false);
    else if (line.parent >= 0) this.cursor.moveTo(line.parent);
  }

  toggle(): void {
    const line = this.selected();
    if (line?.hasChildren) this.setExpanded(line.path, !line.expanded);
  }

  /** Selects the narrowest visible node covering byte `offset` (what a hex cursor points at). */
  selectByOffset(offset: number, source = 0): void {
    let best = -1;
    this.lines.forEach((l, i) => {
      const { start, len } = l.node;
      if ((l.node.source ?? 0) !== source) return;
      if (len > 0 && offset >= start && offset < start + len && (best < 0 || len <= this.lines[best]!.node.len)) best = i;
    });
    if (best >= 0) this.cursor.moveTo(best);
  }

  /** The visible lines `top .. top+height` as styled text. */
  render(g: Glyphs, focused: boolean): Line[] {
    const out: Line[] = [];
    const { top } = this.cursor;
    for (let i = top; i < top + this.cursor.visibleCount; i++) {
      const l = this.lines[i]!;
      const marker = l.hasChildren ? (l.expanded ? g.expanded : g.collapsed) : ' ';
      const text = `${'  '.repeat(l.depth)}${marker} ${safeText(l.node.label)}`;
      const sev = l.node.expert?.severity;
      const style = i === this.cursor.pos ? (focused ? 'selected' : 'field') : sev === 'Error' ? 'error' : sev === 'Warning' ? 'warn' : 'normal';
      out.push([span(text, style)]);
    }
    return out;
  }

  private setExpanded(path: string, on: boolean): void {
    const keep = this.selected()?.path;
    if (on) this.expanded.add(path);
    else this.expanded.delete(path);
    this.rebuild();
    if (keep !== undefined) this.cursor.moveTo(this.nearest(keep));
    if (on) this.revealChildren(path);
  }

  /** Scrolls so the children of the just-expanded `path` show, as Wireshark does. */
  private revealChildren(path: string): void {
    const i = this.lines.findIndex((l) => l.path === path);
    if (i < 0) return;
    let last = i;
    while (last + 1 < this.lines.length && this.lines[last + 1]!.depth > this.lines[i]!.depth) last++;
    this.cursor.reveal(last);
  }

  private rebuild(): void {
    const lines: TreeLine[] = [];
    const walk = (nodes: readonly TreeNode[], prefix: string, depth: number, parent: number) => {
      const seen = new Map<string, number>();
      for (const node of nodes) {
        const k = seen.get(node.field) ?? 0;
        seen.set(node.field, k + 1);
        const path = `${prefix}${node.field}${k > 0 ? `#${k}` : ''}`;
        const hasChildren = (node.children?.length ?? 0) > 0;
        const expanded = hasChildren && this.expanded.has(path);
        const index = lines.length;
        lines.push({ node, path, depth, parent, hasChildren, expanded });
        if (expanded) walk(node.children!, `${path}/`, depth + 1, index);
      }
    };
    walk(this.roots, '', 0, -1);
    this.lines = lines;
    this.cursor.setCount(lines.length);
  }

  /** Line of `path`, else of its nearest visible ancestor, else 0. */
  private nearest(path: string): number {
    for (let p = path; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
      const i = this.lines.findIndex((l) => l.path === p);
      if (i >= 0) return i;
    }
    return 0;
  }
}
