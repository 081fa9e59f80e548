/** One-line notices for the window's status strip (what a save did, a file the system handed over). No React here. */
type Listener = (text: string) => void;
const listeners = new Set<Listener>();

export function notify(text: string): void {
  for (const l of listeners) l(text);
}

export function onNotice(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
