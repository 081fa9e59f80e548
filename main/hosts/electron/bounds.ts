/**
 * Where the window opens: the size and place it had when it was last closed,
 * if that is still on a screen (displays change: a laptop leaves its
 * monitor), else a default that fits a 1366×768 screen. Pure, tested under
 * Node; main.ts reads and writes the saved bounds as a small JSON file.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rect;
  maximized: boolean;
}

/** The smallest window the layout is made for. */
export const MIN_SIZE = { width: 900, height: 560 } as const;
/** The default size: fits the work area of a 1366×768 screen (taskbar and title bar included). */
export const DEFAULT_SIZE = { width: 1280, height: 720 } as const;

/** How much of the window's title bar must be on a screen to count as visible (so it can be grabbed). */
const GRAB = { width: 120, height: 32 };

const intersection = (a: Rect, b: Rect): Rect => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y),
  };
};

/** The default bounds: DEFAULT_SIZE shrunk to the work area if needed, centred on it. */
export function defaultBounds(workArea: Rect): Rect {
  const width = Math.max(Math.min(DEFAULT_SIZE.width, workArea.width), Math.min(MIN_SIZE.width, workArea.width));
  const height = Math.max(Math.min(DEFAULT_SIZE.height, workArea.height), Math.min(MIN_SIZE.height, workArea.height));
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
  };
}

function isRect(r: unknown): r is Rect {
  const o = r as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(o[k]));
}

/** Reads a saved state (any JSON); null when it is not one. */
export function parseSavedState(json: unknown): SavedWindowState | null {
  const o = json as { bounds?: unknown; maximized?: unknown } | null;
  if (typeof o !== 'object' || o === null || !isRect(o.bounds)) return null;
  return { bounds: o.bounds, maximized: o.maximized === true };
}

/**
 * The bounds to open with. `workAreas` are the displays' work areas, the
 * primary one first. A saved window whose title bar is not on any screen
 * opens at the default place; one larger than the screen it is on is
 * shrunk and moved onto it.
 */
export function restoreBounds(saved: SavedWindowState | null, workAreas: readonly Rect[]): { bounds: Rect; maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: 1366, height: 728 };
  if (!saved) return { bounds: defaultBounds(primary), maximized: false };
  const b = saved.bounds;
  const titleBar: Rect = { x: b.x, y: b.y, width: b.width, height: GRAB.height };
  const screen = workAreas.find((a) => {
    const i = intersection(titleBar, a);
    return i.width >= Math.min(GRAB.width, b.width) && i.height >= Math.min(GRAB.height, b.height);
  });
  if (!screen) return { bounds: defaultBounds(primary), maximized: saved.maximized };
  const width = Math.min(Math.max(b.width, MIN_SIZE.width), screen.width);
  const height = Math.min(Math.max(b.height, MIN_SIZE.height), screen.height);
  const x = Math.min(Math.max(b.x, screen.x), screen.x + screen.width - width);
  const y = Math.min(Math.max(b.y, screen.y), screen.y + screen.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}
