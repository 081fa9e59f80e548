import type { Annotation, SourceLink } from '../../shared/schemas.js';

/** What went with a deleted annotation, so undo can restore it. */
export interface Attached {
  links: SourceLink[];
  groupId: string | null;
}

/**
 * One undoable change, as data: the workspace replays it against the API, so
 * the database follows every undo and redo.
 */
export type Change =
  | { kind: 'create'; annotation: Annotation; attached?: Attached }
  | { kind: 'delete'; annotation: Annotation; attached?: Attached }
  | {
      kind: 'update';
      id: string;
      before: { label: string; note: string };
      after: { label: string; note: string };
      /** Saves of one note being typed share a session: they are one undo step. */
      session?: string;
    };

/** The change that undoes `c`. */
export function inverse(c: Change): Change {
  switch (c.kind) {
    // Both directions share one holder: the delete fills it, the later restore reads it.
    case 'create':
      return { kind: 'delete', annotation: c.annotation, attached: (c.attached ??= { links: [], groupId: null }) };
    case 'delete':
      return { kind: 'create', annotation: c.annotation, attached: (c.attached ??= { links: [], groupId: null }) };
    case 'update':
      return { kind: 'update', id: c.id, before: c.after, after: c.before };
  }
}

/** Undo and redo stacks of changes for one article. */
export class History {
  private past: Change[] = [];
  private future: Change[] = [];

  record(c: Change): void {
    const last = this.past[this.past.length - 1];
    // A note saved as it is typed is one change from before the typing to now.
    if (c.kind === 'update' && c.session !== undefined && last?.kind === 'update' && last.id === c.id && last.session === c.session && this.future.length === 0) {
      this.past[this.past.length - 1] = { ...last, after: c.after };
      return;
    }
    this.past.push(c);
    this.future = [];
    if (this.past.length > 500) this.past.shift();
  }

  /** The change to apply to undo the last one, or null. */
  undo(): Change | null {
    const c = this.past.pop();
    if (!c) return null;
    this.future.push(c);
    return inverse(c);
  }

  /** The change to apply to redo the last undone one, or null. */
  redo(): Change | null {
    const c = this.future.pop();
    if (!c) return null;
    this.past.push(c);
    return c;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
