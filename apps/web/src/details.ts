/**
 * The details tree. Subtrees open and close with a click on their arrow (or a double click);
 * which subtrees are open is remembered by field across packets, as Wireshark does.
 */
import type { Dissection, TreeNode } from '@reef/dissect';

export class DetailsTree {
  private readonly open = new Set<string>();
  private selectedEl: HTMLElement | undefined;
  private nodes: TreeNode[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly onSelect: (node: TreeNode | undefined) => void,
  ) {
    root.addEventListener('click', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.node');
      if (!el) return;
      if ((e.target as HTMLElement).classList.contains('twisty')) this.toggle(el);
      this.selectEl(el);
    });
    root.addEventListener('dblclick', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.node');
      if (el) this.toggle(el);
    });
  }

  show(dissection: Dissection | undefined): void {
    this.nodes = [];
    this.selectedEl = undefined;
    const els: HTMLElement[] = [];
    if (dissection) this.build(dissection.tree, 0, '', els);
    this.root.replaceChildren(...els);
    this.onSelect(undefined);
  }

  /** Selects the deepest node of the frame's data covering byte `offset` of source `source` (0: the frame). */
  selectByte(source: number, offset: number): void {
    let best: { el: HTMLElement; len: number } | undefined;
    for (const el of this.root.querySelectorAll<HTMLElement>('.node')) {
      const n = this.nodes[Number(el.dataset.id)]!;
      if ((n.source ?? 0) !== source || n.len <= 0 || offset < n.start || offset >= n.start + n.len) continue;
      if (!best || n.len <= best.len) best = { el, len: n.len };
    }
    if (!best) return;
    // Open its ancestors so the selection is visible.
    for (let p = best.el.parentElement; p && p !== this.root; p = p.parentElement) {
      if (p.classList.contains('children') && p.hidden) this.toggle(p.previousElementSibling as HTMLElement);
    }
    this.selectEl(best.el);
    best.el.scrollIntoView({ block: 'nearest' });
  }

  private build(nodes: TreeNode[], depth: number, path: string, out: HTMLElement[]): void {
    for (const node of nodes) {
      const id = this.nodes.push(node) - 1;
      const key = `${path}/${node.field}`;
      const el = document.createElement('div');
      el.className = 'node' + (node.expert ? ` expert-${node.expert.severity.toLowerCase()}` : '');
      el.dataset.id = String(id);
      el.dataset.field = node.field;
      el.dataset.key = key;
      el.style.setProperty('--depth', String(depth));
      const twisty = document.createElement('span');
      twisty.className = 'twisty';
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = node.label;
      el.append(twisty, label);
      out.push(el);
      if (node.children?.length) {
        const open = this.open.has(key);
        twisty.textContent = open ? '▾' : '▸';
        const box = document.createElement('div');
        box.className = 'children';
        box.hidden = !open;
        const kids: HTMLElement[] = [];
        this.build(node.children, depth + 1, key, kids);
        box.append(...kids);
        out.push(box);
      }
    }
  }

  private toggle(el: HTMLElement): void {
    const box = el.nextElementSibling as HTMLElement | null;
    if (!box?.classList.contains('children')) return;
    box.hidden = !box.hidden;
    el.querySelector('.twisty')!.textContent = box.hidden ? '▸' : '▾';
    if (box.hidden) this.open.delete(el.dataset.key!);
    else this.open.add(el.dataset.key!);
  }

  private selectEl(el: HTMLElement): void {
    this.selectedEl?.classList.remove('selected');
    el.classList.add('selected');
    this.selectedEl = el;
    this.onSelect(this.nodes[Number(el.dataset.id)]);
  }
}
