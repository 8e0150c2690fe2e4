/**
 * Coloring rule colors on the screen at the terminal's depth. blessed knows 256 colors at most
 * (9 bits per color in a cell); for 24-bit color, the numbers 256..510 are handed out as slots
 * for the rules' exact colors, printed as `38;2;r;g;b` / `48;2;r;g;b`.
 */
import type blessed from 'blessed';
import { nearestIndex, parseHex, type ColorDepth, type Rgb } from '../state/colors.js';

/** Slots for 24-bit foregrounds and backgrounds (blessed's draw does not say which it asks for). */
const FG_FIRST = 256;
const BG_FIRST = 384;
/** 0x1ff is blessed's "default color". */
const BG_LAST = 0x1fe;

let depth: ColorDepth = 'none';
const fgSlots: Rgb[] = [];
const bgSlots: Rgb[] = [];
const slotOf = new Map<string, number>();
const patched = new WeakSet<object>();

type ColorScreen = { _reduceColor(color: number): number | string };

/**
 * Sets the depth, and teaches `screen` to print the 24-bit slots. blessed writes a cell's
 * colors as `38;5;` / `48;5;` + the reduced color: for a slot, the reduced "color" is
 * `0;38;2;R;G;B`, so the terminal reads an xterm color at once replaced by the exact one.
 */
export function setColorDepth(screen: blessed.Widgets.Screen, d: ColorDepth): void {
  depth = d;
  const s = screen as unknown as ColorScreen;
  if (patched.has(s)) return;
  patched.add(s);
  const original = s._reduceColor.bind(s);
  s._reduceColor = (color: number): number | string => {
    if (color >= FG_FIRST && color < BG_FIRST) return `0;38;2;${(fgSlots[color - FG_FIRST] ?? [255, 255, 255]).join(';')}`;
    if (color >= BG_FIRST && color <= BG_LAST) return `0;48;2;${(bgSlots[color - BG_FIRST] ?? [0, 0, 0]).join(';')}`;
    return original(color);
  };
}

export function colorDepth(): ColorDepth {
  return depth;
}

function colorNumber(hex: string, layer: 'fg' | 'bg'): number | undefined {
  const c = parseHex(hex);
  if (!c) return undefined;
  if (depth === '256') return nearestIndex(c, 256);
  if (depth === '16') return nearestIndex(c, 16);
  const key = `${layer}${hex}`;
  let slot = slotOf.get(key);
  if (slot === undefined) {
    const slots = layer === 'fg' ? fgSlots : bgSlots;
    const first = layer === 'fg' ? FG_FIRST : BG_FIRST;
    // Out of slots (more distinct colors than the rules have): the nearest of the 256.
    if (first + slots.length > (layer === 'fg' ? BG_FIRST - 1 : BG_LAST)) return nearestIndex(c, 256);
    slot = first + slots.length;
    slots.push(c);
    slotOf.set(key, slot);
  }
  return slot;
}

/** SGR sequences opening and closing text in these colors (empty without colors). */
export function paint(fg: string, bg: string): [string, string] {
  if (depth === 'none') return ['', ''];
  const f = colorNumber(fg, 'fg');
  const b = colorNumber(bg, 'bg');
  if (f === undefined || b === undefined) return ['', ''];
  return [`\x1b[38;5;${f}m\x1b[48;5;${b}m`, '\x1b[39m\x1b[49m'];
}
