/**
 * Change events come in bursts (an import emits one per stored article); a
 * view that refetches on each would ask for the same table hundreds of times.
 * `coalesce` runs `run` once for a burst: at most once per `ms`, at the end
 * of the window the first event opened, however many events fell in it.
 */
export function coalesce(run: () => void, ms: number): { trigger(): void; dispose(): void } {
  let pending: ReturnType<typeof setTimeout> | null = null;
  return {
    trigger() {
      if (pending !== null) return;
      pending = setTimeout(() => {
        pending = null;
        run();
      }, ms);
    },
    dispose() {
      if (pending !== null) clearTimeout(pending);
      pending = null;
    },
  };
}
