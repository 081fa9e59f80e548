import type { EntitySnapshot } from '../../shared/entities.js';
import type { Annotation, GroupingSnapshot, SourceLink } from '../../shared/schemas.js';

/** What went with a deleted annotation, so undo can restore it. */
export interface Attached {
  links: SourceLink[];
  groupId: string | null;
  /** The source entity a deleted source was in. */
  entityId?: string | null;
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
    }
  | GroupingChange
  | EntityChange;

/**
 * A grouping, merge, split, rename or group note: the grouping state of the
 * groups and claims involved before and after, filled in by the write once
 * it has run (the change is recorded when the gesture is made, so it keeps
 * its place among the others). `forward` is false on the change that undoes
 * it; both share one `states` holder.
 */
export interface GroupingChange {
  kind: 'grouping';
  /** What the analyst did, as undo and redo report it ("grouping “…” with “…”"). */
  what: string;
  forward: boolean;
  states: { before: GroupingSnapshot | null; after: GroupingSnapshot | null };
}

/**
 * A source linked to a source entity, taken out of it, or an entity renamed
 * or merged: like a grouping change, the entity state before and after.
 */
export interface EntityChange {
  kind: 'entities';
  what: string;
  forward: boolean;
  states: { before: EntitySnapshot | null; after: EntitySnapshot | null };
}

/** The state (grouping or entities) to put back to apply `c`. */
export function targetState<S>(c: { forward: boolean; states: { before: S | null; after: S | null } }): S | null {
  return c.forward ? c.states.after : c.states.before;
}

const short = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 60)}…` : one;
};

/** What `c` did, in the analyst's words, for "Undid …" and "Redid …". */
export function describe(c: Change, labelName: (id: string) => string = (id) => id): string {
  switch (c.kind) {
    case 'create':
      return `tagging “${short(c.annotation.quote)}” as ${labelName(c.annotation.label)}`;
    case 'delete':
      return `deleting the tag “${short(c.annotation.quote)}”`;
    case 'update':
      return c.before.label !== c.after.label ? `relabelling as ${labelName(c.after.label)}` : 'the note edit';
    case 'grouping':
    case 'entities':
      return c.what;
  }
}

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
    case 'grouping':
    case 'entities':
      return { ...c, forward: !c.forward };
  }
}

/** Undo and redo stacks of changes for one article. */
export class History {
  private past: Change[] = [];
  private future: Change[] = [];

  record(c: Change): void {
    const last = this.past[this.past.length - 1];
    // A note saved as it is typed is one change from before the typing to now.
    if (
      c.kind === 'update' &&
      c.session !== undefined &&
      last?.kind === 'update' &&
      last.id === c.id &&
      last.session === c.session &&
      this.future.length === 0
    ) {
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

  /** The change the next undo takes back, or null. */
  peekUndo(): Change | null {
    return this.past.at(-1) ?? null;
  }

  /** The change the next redo makes again, or null. */
  peekRedo(): Change | null {
    return this.future.at(-1) ?? null;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
