import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

/**
 * A list of buttons as one Tab stop (a roving tabindex): only the current
 * item is in the Tab order, and ↑ ↓ Home End move focus between items.
 * `ids` are the items in list order; `preferred` is the item Tab should land
 * on until the keyboard moves (e.g. the open article). `reveal(index)` brings
 * an item that is not in the page (a virtual list) into it; focus follows once
 * its element, found by `data-roving-id`, is there.
 */
export function useRovingList<T extends string | number>(
  container: RefObject<HTMLElement | null>,
  ids: readonly T[],
  preferred: T | null,
  reveal?: (index: number) => void,
): { current: T | null; tabIndexOf: (id: T) => 0 | -1; onKeyDown: (e: KeyboardEvent) => void; onFocusItem: (id: T) => void } {
  const [moved, setMoved] = useState<T | null>(null);
  const current =
    moved !== null && ids.includes(moved) ? moved : preferred !== null && ids.includes(preferred) ? preferred : (ids[0] ?? null);
  // The item to focus once it is in the page (a virtual list renders it a frame later).
  const pending = useRef<T | null>(null);

  const focusPending = useCallback(() => {
    const id = pending.current;
    if (id === null) return true;
    const el = container.current?.querySelector<HTMLElement>(`[data-roving-id="${String(id)}"]`);
    if (!el) return false;
    pending.current = null;
    el.focus();
    return true;
  }, [container]);

  useEffect(() => {
    if (focusPending()) return;
    // Not rendered yet: try again over the next few frames.
    let frames = 0;
    let handle = requestAnimationFrame(function retry() {
      if (!focusPending() && ++frames < 10) handle = requestAnimationFrame(retry);
    });
    return () => cancelAnimationFrame(handle);
  }, [current, focusPending]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || current === null) return;
      const at = ids.indexOf(current);
      const to =
        e.key === 'ArrowDown'
          ? Math.min(ids.length - 1, at + 1)
          : e.key === 'ArrowUp'
            ? Math.max(0, at - 1)
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? ids.length - 1
                : null;
      if (to === null || to < 0) return;
      e.preventDefault();
      const id = ids[to] as T;
      pending.current = id;
      reveal?.(to);
      setMoved(id);
      focusPending();
    },
    [ids, current, reveal, focusPending],
  );

  return {
    current,
    tabIndexOf: (id: T) => (id === current ? 0 : -1),
    onKeyDown,
    // A click (or any focus) makes that item the Tab stop.
    onFocusItem: (id: T) => setMoved(id),
  };
}
