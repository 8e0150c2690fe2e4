/**
 * Flow view of one TCP stream: every segment as an arrow between the client (A, the stream's
 * first sender) and the server (B), with its flags, relative and raw sequence and acknowledgment
 * numbers, payload length, the TCP analysis notes, and each endpoint's RFC 9293 state after it.
 * The 3-way handshake reads as SYN_SENT/LISTEN, then SYN_RECEIVED, then ESTABLISHED on both.
 * Enter goes to the packet of the selected segment.
 */
import type { FrameBatch } from '@reef/capture';
import type { HandshakeFlow, LadderEvent, Session } from '@reef/dissect';
import { Cursor } from '../state/cursor.js';
import type { Glyphs } from '../state/glyphs.js';
import { fit, safeText, textWidth } from '../state/text.js';
import { vspan, type Overlay, type OverlayHost, type ViewLine } from './overlay.js';

/** Notes of the TCP analysis that mean trouble, drawn as warnings. */
const TROUBLE = /retransmission|dup(licate)? ack|lost|out-of-order|zero ?window|reset|keep-alive|spurious|not captured/i;

const STATE_WIDTH = 12;
const NUMBER_WIDTH = 6;
const TIME_WIDTH = 10;
/** Lines each segment takes: the arrow, then raw numbers and notes. */
const LINES_PER_EVENT = 2;

export class FlowView implements Overlay {
  readonly flow: HandshakeFlow;
  private readonly cursor = new Cursor();
  private readonly unicode: boolean;

  constructor(
    private readonly host: OverlayHost,
    session: Session,
    batches: Iterable<FrameBatch>,
    readonly stream: number,
    glyphs: Glyphs,
    /** Frame to start on (the packet selected in the list). */
    frame?: number,
  ) {
    this.flow = session.flow(stream, batches);
    this.unicode = glyphs.focus !== '>';
    this.cursor.setCount(this.flow.events.length);
    const at = frame === undefined ? -1 : this.flow.events.findIndex((e) => e.frame === frame);
    if (at >= 0) this.cursor.moveTo(at);
  }

  title(): string {
    return `Flow: TCP stream ${this.stream}`;
  }

  status(): string {
    const e = this.flow.events[this.cursor.pos];
    return ` ${this.flow.events.length} segment${this.flow.events.length === 1 ? '' : 's'}${e ? `  Frame: ${e.frame}` : ''}`;
  }

  hints(): string {
    return 'j/k move  enter go to packet  q close';
  }

  key(id: string): void {
    const c = this.cursor;
    switch (id) {
      case 'q':
      case 'escape':
        return this.host.closeOverlay();
      case 'enter': {
        const e = this.flow.events[c.pos];
        this.host.closeOverlay();
        if (e) this.host.selectFrame(e.frame);
        return;
      }
      default:
        c.moveByKey(id);
    }
  }

  render(width: number, height: number): ViewLine[] {
    const f = this.flow;
    const bar = this.unicode ? '│' : '|';
    const left = NUMBER_WIDTH + 2 + TIME_WIDTH + 2 + STATE_WIDTH;
    const arrowWidth = Math.max(24, width - left - 1 - 2 - STATE_WIDTH);
    const gap = ' '.repeat(left);
    const head: ViewLine[] = [
      [
        vspan(fit(`Client (A) ${safeText(f.a)}`, left + 1 + Math.floor(arrowWidth / 2)), 'client'),
        vspan(fit(`Server (B) ${safeText(f.b)}`, Math.ceil(arrowWidth / 2) + 2 + STATE_WIDTH, 'right'), 'server'),
      ],
      [
        vspan(
          `${fit('No.', NUMBER_WIDTH, 'right')}  ${fit('Time', TIME_WIDTH)}  ${fit('A state', STATE_WIDTH)}${fit('  (states after each segment)', arrowWidth + 3)}${fit('B state', STATE_WIDTH)}`,
          'header',
        ),
      ],
    ];
    const bodyHeight = Math.max(LINES_PER_EVENT, height - head.length);
    this.cursor.setHeight(Math.floor(bodyHeight / LINES_PER_EVENT));
    const body: ViewLine[] = [];
    if (f.events.length === 0) body.push([vspan(`No segments in TCP stream ${this.stream}.`, 'dim')]);
    for (let i = this.cursor.top; i < this.cursor.top + this.cursor.visibleCount; i++) {
      const e = f.events[i]!;
      const selected = i === this.cursor.pos;
      const number = `${fit(String(e.frame), NUMBER_WIDTH, 'right')}  ${fit(e.time.toFixed(6), TIME_WIDTH)}  `;
      body.push([
        vspan(number, selected ? 'selected' : 'normal'),
        vspan(fit(e.stateA, STATE_WIDTH), 'client'),
        vspan(bar),
        vspan(this.arrow(e, arrowWidth), e.dir === 0 ? 'client' : 'server'),
        vspan(`${bar} `),
        vspan(fit(e.stateB, STATE_WIDTH), 'server'),
      ]);
      const notes = e.notes.map(safeText).join('; ');
      const raw = `seq ${e.seqRaw} ack ${e.ackRaw}`;
      // The notes may run past B's bar: this line has no state to show there.
      const detail: ViewLine = [vspan(gap), vspan(bar), vspan(` ${raw}  `, 'dim')];
      if (notes) detail.push(vspan(notes, TROUBLE.test(notes) ? 'warn' : 'note'));
      body.push(detail);
    }
    return [...head, ...body];
  }

  /** `── SYN  Seq=0 Len=0 ──▶` from A to B, `◀── ...` the other way. */
  private arrow(e: LadderEvent, width: number): string {
    const dash = this.unicode ? '─' : '-';
    const label = ` ${e.flags}  Seq=${e.seq}${e.flags.includes('ACK') ? ` Ack=${e.ack}` : ''} Len=${e.len} `;
    const body = fit(label, Math.min(textWidth(label), width - 4));
    const fill = Math.max(0, width - textWidth(body) - 2);
    const before = dash.repeat(Math.floor(fill / 2));
    const after = dash.repeat(fill - before.length);
    return e.dir === 0 ? `${dash}${before}${body}${after}${this.unicode ? '▶' : '>'}` : `${this.unicode ? '◀' : '<'}${before}${body}${after}${dash}`;
  }
}
