import { describe, expect, it } from 'vitest';
import { History, type Change } from './history.js';

const note = (before: string, after: string, session?: string): Extract<Change, { kind: 'update' }> => ({
  kind: 'update',
  id: 't1',
  before: { label: 'claim', note: before },
  after: { label: 'claim', note: after },
  ...(session ? { session } : {}),
});

describe('History', () => {
  it('keeps the saves of one note being typed as one undo step', () => {
    const h = new History();
    h.record(note('', 'Che', 's1'));
    h.record(note('Che', 'Checked', 's1'));
    h.record(note('Checked', 'Checked twice', 's1'));
    expect(h.undo()).toMatchObject({ before: { note: 'Checked twice' }, after: { note: '' } });
    expect(h.canUndo).toBe(false);
    expect(h.redo()).toMatchObject({ before: { note: '' }, after: { note: 'Checked twice' } });
  });

  it('keeps edits of other sessions, other tags and unsessioned edits apart', () => {
    const h = new History();
    h.record(note('', 'a', 's1'));
    h.record(note('a', 'ab', 's2'));
    h.record(note('ab', 'abc'));
    h.record({ ...note('abc', 'abcd', 's2'), id: 't2' });
    expect([h.undo(), h.undo(), h.undo(), h.undo(), h.undo()].map((c) => (c?.kind === 'update' ? c.after.note : null))).toEqual([
      'abc',
      'ab',
      'a',
      '',
      null,
    ]);
  });
});
