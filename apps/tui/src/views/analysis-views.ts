/**
 * Opens the analysis views for the main screen (which frames, which stream), and the question
 * asked on quitting a live capture that went to a temporary file: keep it, save it elsewhere or
 * delete it.
 */
import type { FrameBatch } from '@reef/capture';
import type { Session, TreeNode } from '@reef/dissect';
import type { FrameStore } from '../state/frame-store.js';
import type { Glyphs } from '../state/glyphs.js';
import { LineEdit } from '../state/line-edit.js';
import { safeText } from '../state/text.js';
import { ConversationsView } from './conversations-view.js';
import { FlowView } from './flow-view.js';
import { FollowView, type FollowProto } from './follow-view.js';
import { InfoView, capinfoLines, expertLines, hierarchyLines, type CaptureFacts } from './info-view.js';
import type { Overlay, OverlayHost } from './overlay.js';

/** What becomes of a live capture's temporary file once it is closed. */
export type QuitChoice = { action: 'keep' } | { action: 'delete' } | { action: 'move'; to: string };

/** The selected packet, as the views need it. */
export interface SelectedFrame {
  number: number;
  tree: TreeNode[];
}

/** The first node of field `field` in `nodes`, depth first. */
function findField(nodes: readonly TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const inner = n.children && findField(n.children, field);
    if (inner) return inner;
  }
  return undefined;
}

/** The TCP or UDP stream index of a packet, from its `tcp.stream` / `udp.stream` node (`[Stream index: 3]`). */
export function streamOf(tree: readonly TreeNode[]): { proto: FollowProto; index: number } | undefined {
  for (const proto of ['tcp', 'udp'] as const) {
    const node = findField(tree, `${proto}.stream`);
    const m = node && /(\d+)\]?\s*$/.exec(node.label);
    if (m) return { proto, index: Number(m[1]) };
  }
  return undefined;
}

export class AnalysisViews {
  /** The save-as path being typed. */
  private path = new LineEdit();
  private error = '';

  constructor(
    private readonly host: OverlayHost,
    private readonly session: Session,
    private readonly store: FrameStore,
    private readonly glyphs: Glyphs,
    private readonly facts: CaptureFacts | undefined,
  ) {}

  /** Every loaded batch (statistics read all frames, whatever the display filter). */
  private batches(): Iterable<FrameBatch> {
    return this.store.all();
  }

  conversations(): Overlay {
    return new ConversationsView(this.host, this.session, this.batches());
  }

  follow(frame: SelectedFrame | undefined): Overlay | string {
    const stream = frame && streamOf(frame.tree);
    if (!stream) return 'Follow stream: select a TCP or UDP packet first';
    return new FollowView(this.host, this.session, this.batches(), stream.proto, stream.index);
  }

  flow(frame: SelectedFrame | undefined): Overlay | string {
    const stream = frame && streamOf(frame.tree);
    if (!stream || stream.proto !== 'tcp') return 'Flow: select a TCP packet first';
    return new FlowView(this.host, this.session, this.batches(), stream.index, this.glyphs, frame.number);
  }

  capinfo(): Overlay {
    const facts = this.facts ?? { format: 'pcap' as const, gzip: false, interfaces: [] };
    return new InfoView(this.host, 'Capture File Properties', capinfoLines(facts, this.store.metadata()));
  }

  expert(): Overlay {
    return new InfoView(this.host, 'Expert Information', expertLines(this.session.expert(this.batches())));
  }

  hierarchy(): Overlay {
    return new InfoView(this.host, 'Protocol Hierarchy Statistics', hierarchyLines(this.session.protocolHierarchy(this.batches())));
  }

  keepQuestion(file: string): string {
    return [
      'Quit. The capture is in the temporary file',
      `  ${safeText(file)}`,
      '',
      'k  keep it there        s  save it as...',
      'd  delete it            esc  do not quit',
    ].join('\n');
  }

  /** A key of the keep/save-as dialog: the next dialog, or the choice that quits. */
  keepKey(modal: string, id: string, ch: string | undefined, file: string): { modal: 'none' | 'keep' | 'saveas'; text: string; choice?: QuitChoice } {
    if (modal === 'keep') {
      if (id === 'k' || id === 'y') return { modal: 'keep', text: '', choice: { action: 'keep' } };
      if (id === 'd') return { modal: 'keep', text: '', choice: { action: 'delete' } };
      if (id === 's') {
        this.path.set(file.replace(/^.*\//, ''));
        this.error = '';
        return { modal: 'saveas', text: this.saveAsText() };
      }
      if (id === 'escape' || id === 'n' || id === 'q') return { modal: 'none', text: '' };
      return { modal: 'keep', text: this.keepQuestion(file) };
    }
    if (id === 'escape') return { modal: 'keep', text: this.keepQuestion(file) };
    if (id === 'enter') {
      const to = this.path.text.trim();
      if (to) return { modal: 'saveas', text: '', choice: { action: 'move', to } };
      this.error = 'type a file name';
    } else {
      this.path.key(id, ch);
      this.error = '';
    }
    return { modal: 'saveas', text: this.saveAsText() };
  }

  private saveAsText(): string {
    const { before, at, after } = this.path.parts();
    const lines = ['Save the capture as (enter saves and quits, esc goes back):', `> ${safeText(before)}${at === ' ' ? '_' : safeText(at)}${safeText(after)}`];
    if (this.error) lines.push(this.error);
    return lines.join('\n');
  }
}
