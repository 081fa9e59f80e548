import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdIndex, MappedList, sameEnds } from './incremental.js';

interface Item {
  id: string;
  n: number;
}

/** Random edits of a list as the workspace makes them: insert, delete, replace with a new object of the same id, replace everything. */
const edits = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), n: fc.integer() }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), n: fc.integer() }),
    fc.record({ kind: fc.constant('reload' as const), size: fc.nat({ max: 30 }) }),
    fc.record({ kind: fc.constant('same' as const) }),
  ),
  { maxLength: 40 },
);

function apply(
  list: readonly Item[],
  e: { kind: string; at?: number; n?: number; size?: number },
  counter: { next: number },
): readonly Item[] {
  const at = list.length === 0 ? 0 : (e.at ?? 0) % (list.length + (e.kind === 'insert' ? 1 : 0));
  switch (e.kind) {
    case 'insert':
      return [...list.slice(0, at), { id: `i${counter.next++}`, n: e.n ?? 0 }, ...list.slice(at)];
    case 'delete':
      return list.length === 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
    case 'replace':
      return list.length === 0 ? list : list.map((x, i) => (i === at ? { id: x.id, n: e.n ?? 0 } : x));
    case 'reload':
      return Array.from({ length: e.size ?? 0 }, (_, i) => ({ id: `r${counter.next++}-${i}`, n: i }));
    default:
      return list;
  }
}

describe('sameEnds', () => {
  it('finds the shared ends by identity, never overlapping', () => {
    const [a, b, c, d] = [{}, {}, {}, {}];
    expect(sameEnds([a, b, c], [a, d, c])).toEqual({ head: 1, tail: 1 });
    expect(sameEnds([a, b], [a, c, b])).toEqual({ head: 1, tail: 1 });
    expect(sameEnds([a, a], [a])).toEqual({ head: 1, tail: 0 });
    expect(sameEnds([], [a])).toEqual({ head: 0, tail: 0 });
    expect(sameEnds([a, b], [a, b])).toEqual({ head: 2, tail: 0 });
  });
});

describe('IdIndex and MappedList', () => {
  it('equal a map and a mapping built from scratch after any sequence of edits', () => {
    fc.assert(
      fc.property(edits, fc.nat({ max: 20 }), (steps, start) => {
        const counter = { next: 0 };
        let list: readonly Item[] = Array.from({ length: start }, (_, i) => ({ id: `s${i}`, n: i }));
        const index = new IdIndex<Item>();
        const mapped = new MappedList<Item, { id: string; twice: number }>();
        let context = 1;
        for (const step of steps) {
          list = apply(list, step, counter);
          // Now and then the context changes (as the layer names do), which must map everything again.
          if (step.kind === 'same') context++;
          const f = (x: Item) => ({ id: x.id, twice: x.n * 2 + context });
          expect(new Map(index.update(list))).toEqual(new Map(list.map((x) => [x.id, x])));
          expect(mapped.update(list, context, f)).toEqual(list.map(f));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the results of unchanged elements (the same objects)', () => {
    const list = Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, n: i }));
    const mapped = new MappedList<Item, { n: number }>();
    const first = mapped.update(list, null, (x) => ({ n: x.n }));
    const next = [...list.slice(0, 2), { id: 'new', n: 9 }, ...list.slice(2)];
    const second = mapped.update(next, null, (x) => ({ n: x.n }));
    expect(second[0]).toBe(first[0]);
    expect(second[4]).toBe(first[3]);
    expect(second[2]).toEqual({ n: 9 });
    expect(mapped.update(next, null, () => ({ n: -1 }))).toBe(second);
  });
});
