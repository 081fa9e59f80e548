/**
 * Runs writes one after another, in the order they were asked for: a write
 * starts only when the one before it has answered (or failed). Keys pressed
 * back to back then reach the library in the order pressed, so a later
 * decision on the same item is the one that stays.
 */
export function inOrder(): <T>(write: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(write: () => Promise<T>): Promise<T> => {
    const next = last.then(write, write);
    last = next.catch(() => undefined);
    return next;
  };
}
