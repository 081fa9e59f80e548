/**
 * Menu commands that belong to whichever view is showing (Undo and Redo go
 * to the open article's history). A view registers a handler while it is
 * mounted; the last registered wins. No React here.
 */
export type AppCommand = 'undo' | 'redo';

const handlers = new Map<AppCommand, (() => void)[]>();

export function onAppCommand(command: AppCommand, handler: () => void): () => void {
  const list = handlers.get(command) ?? [];
  list.push(handler);
  handlers.set(command, list);
  return () => {
    const l = handlers.get(command) ?? [];
    const i = l.lastIndexOf(handler);
    if (i >= 0) l.splice(i, 1);
  };
}

/** Runs the command: in a text field, the field's own undo/redo; else the view's handler. Returns whether anything took it. */
export function runAppCommand(
  command: AppCommand,
  active: Element | null = typeof document === 'undefined' ? null : document.activeElement,
): boolean {
  if (active && (active.tagName === 'TEXTAREA' || (active.tagName === 'INPUT' && (active as HTMLInputElement).type !== 'checkbox'))) {
    // The field's own history (execCommand is deprecated but still the only way to reach it).
    return document.execCommand(command);
  }
  const handler = handlers.get(command)?.at(-1);
  handler?.();
  return handler !== undefined;
}
