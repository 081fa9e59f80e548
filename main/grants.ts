/**
 * The files and folders the API may read by path: only those the user chose
 * in a system dialog, dropped on the window or named on the command line,
 * granted by the host that saw the gesture (Electron's main process, or a
 * command line). A renderer, or anyone holding the HTTP token, cannot add to
 * it, so `import.start({ paths })` cannot be used to pull any file on disk
 * into the library and read it back.
 */
import { resolve } from 'node:path';

export class PathGrants {
  private readonly granted = new Set<string>();

  /** Grants these paths (files or folders, as chosen); returns them resolved, as they are to be named. */
  grant(paths: readonly string[]): string[] {
    const resolved = paths.map((p) => resolve(p));
    for (const p of resolved) this.granted.add(p);
    return resolved;
  }

  /** Whether a path was granted exactly (a folder's import walks it; naming a file inside it is not the same gesture). */
  allows(path: string): boolean {
    return this.granted.has(resolve(path));
  }

  /** The granted paths, to hand to a restarted service process. */
  list(): string[] {
    return [...this.granted];
  }
}
