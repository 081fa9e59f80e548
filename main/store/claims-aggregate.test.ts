import { describe, expect, it } from 'vitest';
import { aggregate, type AggregateInput } from './claims-aggregate.js';

// Two articles; group 1 holds claims 10 (article 1) and 11 (article 2); sources 20 ("Rubio", in an entity) and 21
// ("the Kremlin") are linked to them; group 2 is empty.
const input: AggregateInput = {
  articles: [
    [1, 'Peace first', 'Politico', '2025-11-24T00:00:00.000Z'],
    [2, 'Guarantees later', null, '2025-11-26T00:00:00.000Z'],
  ],
  groups: [
    [1, 'g-1', 'US wants a peace deal first', '', '2025-11-27T00:00:00.000Z'],
    [2, 'g-2', 'An emptied group', 'kept', '2025-11-28T00:00:00.000Z'],
  ],
  mentions: {
    n: [10, 11, 20, 21],
    claimArticleId: [1, 2, null, null],
    claimAnnotator: ['Dana', 'Sam', null, null],
    sourceQuote: [null, null, 'Rubio', 'the  Kremlin'],
  },
  entities: [['e-1', 'Marco Rubio']],
  entityMembers: [[20, 'e-1']],
  members: { annotationN: [10, 11], groupN: [1, 1] },
  // kind: a place in KINDS (direct, paraphrase, unnamed)
  links: { claimN: [10, 11], sourceN: [20, 21], kind: [0, 1] },
};

describe('the claims aggregate (no SQL)', () => {
  const rows = aggregate(input, () => null).map((k) => k.row);

  it('counts a group’s instances, articles, outlets, sources and kinds, naming an entity’s source by the entity', () => {
    const g = rows.find((r) => r.groupId === 'g-1');
    expect(g).toMatchObject({
      canonical: 'US wants a peace deal first',
      instanceCount: 2,
      articleCount: 2,
      kinds: ['direct', 'paraphrase'],
      firstPublished: '2025-11-24T00:00:00.000Z',
      lastPublished: '2025-11-26T00:00:00.000Z',
      annotators: ['Dana', 'Sam'],
    });
    expect(g?.outlets).toHaveLength(2);
    expect(g?.outlets).toContain('Politico');
    expect(g?.sources).toEqual(['Marco Rubio', 'the Kremlin']);
    expect(g?.sourceEntities).toEqual([{ id: 'e-1', name: 'Marco Rubio', wordings: ['Rubio'] }]);
    expect(g?.outletSources.Politico).toEqual(['Marco Rubio']);
  });

  it('keeps an empty group as a row with nothing counted', () => {
    expect(rows.find((r) => r.groupId === 'g-2')).toMatchObject({
      instanceCount: 0,
      articleCount: 0,
      sources: [],
      annotators: [],
      note: 'kept',
    });
  });
});
