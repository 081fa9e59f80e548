/**
 * Whether the host has found the library file damaged (a write it refused
 * because the file under it is no longer a database). The client reports it
 * from any call; the window shows it with the way out: the backups. No React here.
 */
type Listener = (message: string) => void;
const listeners = new Set<Listener>();
let damaged: string | null = null;

/** Called by the API client for an error that says the library is damaged. */
export function reportDamaged(message: string): void {
  damaged = message;
  for (const l of listeners) l(message);
}

export function damagedMessage(): string | null {
  return damaged;
}

export function onDamaged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
