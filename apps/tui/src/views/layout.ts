/**
 * Where the three panes go (termshark's layouts, cycled with `|`): stacked; the list on top
 * with details and bytes side by side below; the list on the left with details over bytes on
 * the right. `\` gives the focused pane the whole area.
 */

export type LayoutName = 'stacked' | 'bytes-right' | 'list-left';
export const LAYOUTS: readonly LayoutName[] = ['stacked', 'bytes-right', 'list-left'];

export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface PaneRects {
  list: Rect;
  tree: Rect;
  hex: Rect;
  /** The line under the list with the selected row in full (height 0 when not shown). */
  detail: Rect;
}

/** A hex row (`0000  ` + 16 bytes in two groups + 16 ASCII) plus the borders. */
const HEX_WIDTH = 74;

export function layoutPanes(
  name: LayoutName,
  area: { top: number; width: number; height: number },
  maximized: 'list' | 'tree' | 'hex' | undefined,
  detailLine: boolean,
): PaneRects {
  const { top, width } = area;
  const height = Math.max(6, area.height);
  const none: Rect = { top, left: 0, width: 0, height: 0 };
  const full: Rect = { top, left: 0, width, height };
  const detailH = detailLine ? 1 : 0;
  const withDetail = (list: Rect): Pick<PaneRects, 'list' | 'detail'> => ({
    list: { ...list, height: list.height - detailH },
    detail: { top: list.top + list.height - detailH, left: list.left, width: list.width, height: detailH },
  });
  if (maximized === 'list') return { ...withDetail(full), tree: none, hex: none };
  if (maximized === 'tree') return { list: none, tree: full, hex: none, detail: none };
  if (maximized === 'hex') return { list: none, tree: none, hex: full, detail: none };

  if (name === 'stacked') {
    // On a short terminal the list gets a larger share (the bytes are the first to shrink).
    const list = Math.max(5, Math.round(height * (height < 28 ? 0.5 : 0.45)));
    const tree = Math.max(4, Math.round(height * 0.3));
    const hex = Math.max(3, height - list - tree);
    return {
      ...withDetail({ top, left: 0, width, height: list }),
      tree: { top: top + list, left: 0, width, height: tree },
      hex: { top: top + list + tree, left: 0, width, height: hex },
    };
  }
  if (name === 'bytes-right') {
    const list = Math.max(5, Math.round(height * 0.5));
    const below = height - list;
    const hexW = Math.min(HEX_WIDTH, Math.floor(width / 2));
    return {
      ...withDetail({ top, left: 0, width, height: list }),
      tree: { top: top + list, left: 0, width: width - hexW, height: below },
      hex: { top: top + list, left: width - hexW, width: hexW, height: below },
    };
  }
  // list-left
  const rightW = Math.min(HEX_WIDTH, Math.floor(width / 2));
  const tree = Math.max(4, Math.round(height * 0.55));
  return {
    ...withDetail({ top, left: 0, width: width - rightW, height }),
    tree: { top, left: width - rightW, width: rightW, height: tree },
    hex: { top: top + tree, left: width - rightW, width: rightW, height: height - tree },
  };
}
