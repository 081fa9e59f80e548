/** The claims table's grouping writes, run in order on its own undo stack (renames, notes, merges, deletions). */
import { errorMessage } from '../../shared/errors.js';
import { api } from '../api/client.js';
import { describe, History, targetState, type GroupingChange } from './history.js';
import { inOrder } from './in-order.js';

/** Undo of the grouping changes made in the claims table (renames, notes, merges, deletions), kept while the app runs. */
export const claimsHistory = new History();
const inTurn = inOrder();
export type Report = (text: string, error?: boolean) => void;

/**
 * Runs a grouping write on the claims table's undo stack: the state of the
 * groups it touches is read before and after, so undo and redo put either
 * back. Writes run one after another; `report` hears what happened.
 */
export function groupingWrite(
  what: string,
  groupIds: string[],
  write: () => Promise<string>,
  report: Report,
  changed: () => void,
  annotationIds: string[] = [],
): void {
  const c: GroupingChange = { kind: 'grouping', what, forward: true, states: { before: null, after: null } };
  claimsHistory.record(c);
  changed();
  inTurn(async () => {
    c.states.before = await api['groups.snapshot']({ groupIds, annotationIds });
    const done = await write();
    c.states.after = await api['groups.snapshot']({ groupIds, annotationIds });
    report(`${done} Ctrl+Z undoes it.`);
  }).catch((e: unknown) => report(errorMessage(e), true));
}

/** Undoes (or redoes) the last grouping change made in the claims table. */
export function undoRedo(redo: boolean, report: Report, changed: () => void): void {
  const done = redo ? claimsHistory.peekRedo() : claimsHistory.peekUndo();
  const c = redo ? claimsHistory.redo() : claimsHistory.undo();
  changed();
  if (!c || !done || c.kind !== 'grouping') return;
  inTurn(async () => {
    const state = targetState(c);
    if (state) await api['groups.restore'](state);
    report(`${redo ? 'Redid' : 'Undid'} ${describe(done)}.`);
  }).catch((e: unknown) => report(errorMessage(e), true));
}
