import { describe, expect, it } from 'vitest';
import { defaultBounds, parseSavedState, restoreBounds, type Rect } from './bounds.js';

const laptop: Rect = { x: 0, y: 0, width: 1366, height: 728 }; // 1366×768 less a 40 px taskbar
const wide: Rect = { x: 1366, y: 0, width: 2560, height: 1400 };

const inside = (b: Rect, a: Rect) => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height;

describe('window bounds', () => {
  it('by default fit a 1366×768 screen, centred', () => {
    const b = defaultBounds(laptop);
    expect(inside(b, laptop)).toBe(true);
    expect(b.width).toBeGreaterThanOrEqual(900);
    expect(b.x).toBe(Math.round((1366 - b.width) / 2));
    // A smaller screen than the minimum: the window still fits.
    expect(inside(defaultBounds({ x: 0, y: 0, width: 800, height: 500 }), { x: 0, y: 0, width: 800, height: 500 })).toBe(true);
  });

  it('come back where they were when that is still on a screen', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(restoreBounds(saved, [laptop, wide])).toEqual({ bounds: saved.bounds, maximized: true });
  });

  it('move to the primary screen when the saved screen is gone', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1400, height: 900 }, maximized: false };
    const r = restoreBounds(saved, [laptop]);
    expect(inside(r.bounds, laptop)).toBe(true);
  });

  it('are pulled onto the screen when only an edge was visible, and shrunk to fit it', () => {
    const r = restoreBounds({ bounds: { x: -1200, y: -20, width: 2000, height: 1200 }, maximized: false }, [laptop]);
    expect(inside(r.bounds, laptop)).toBe(true);
    const tiny = restoreBounds({ bounds: { x: 10, y: 10, width: 100, height: 50 }, maximized: false }, [laptop]);
    expect(tiny.bounds.width).toBeGreaterThanOrEqual(900);
  });

  it('ignore a saved state that is not one', () => {
    expect(parseSavedState(null)).toBeNull();
    expect(parseSavedState({ bounds: { x: 'a', y: 0, width: 1, height: 1 } })).toBeNull();
    expect(parseSavedState({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: 'yes' })).toEqual({
      bounds: { x: 1, y: 2, width: 3, height: 4 },
      maximized: false,
    });
    expect(restoreBounds(null, [laptop]).bounds).toEqual(defaultBounds(laptop));
  });
});
