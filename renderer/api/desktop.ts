/**
 * What the Electron preload adds for the desktop (absent in a browser): the
 * paths of dropped files, the system's open and save dialogs, and the
 * commands of the application menu. Paths come only from those, and main
 * grants them to the service; the page cannot name others.
 */
import type { ApiInput } from '../../shared/api.js';

export type SaveRequest =
  | { method: 'export.build'; input: ApiInput<'export.build'> }
  | { method: 'bundle.export'; input: ApiInput<'bundle.export'> }
  | { method: 'review.exportLog'; input: ApiInput<'review.exportLog'> }
  | { method: 'review.exportAgreement'; input: ApiInput<'review.exportAgreement'> };

export type SaveResult =
  { outcome: 'saved'; path: string; bytes: number; summary: string[] } | { outcome: 'cancelled' } | { outcome: 'failed'; message: string };

/** A menu command or a file the system handed over. */
export type DesktopCommand =
  | { kind: 'import'; paths: string[] }
  | { kind: 'bundle'; fileName: string; content: string }
  | { kind: 'saved'; result: SaveResult }
  | { kind: 'notice'; text: string }
  | { kind: 'backups' | 'undo' | 'redo' | 'shortcuts' };

interface DesktopBridge {
  pathsOfDropped(files: File[]): Promise<string[]>;
  chooseImport(kind: 'files' | 'folder'): Promise<string[]>;
  saveAs(request: SaveRequest): Promise<SaveResult>;
  onCommand(listener: (c: DesktopCommand) => void): () => void;
}

export const desktop: DesktopBridge | null = (window as unknown as { claimdesk?: { desktop?: DesktopBridge } }).claimdesk?.desktop ?? null;

/** One line saying what really happened to a save: where it went, that it was cancelled, or why it failed. */
export function describeSave(r: SaveResult): string {
  if (r.outcome === 'saved') return `Saved to ${r.path}.`;
  if (r.outcome === 'cancelled') return 'Not saved: the save was cancelled.';
  return `Not saved: ${r.message}`;
}
