import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codePointLength } from '../../shared/offsets.js';
import { openDatabase, type Db } from '../store/database.js';
import { insertArticle } from '../store/articles.js';
import { insertAnnotation } from '../store/annotations.js';
import { insertLink } from '../store/links.js';
import { insertGroup, setMembership } from '../store/groups.js';
import { insertEntity, setEntityMembership } from '../store/entities.js';
import { tempDir } from '../test-support.js';
import { buildExport, csvRecord, EXPORT_KINDS, FORMATS, neutralizeCell } from './exporters.js';
import { writeAtomically } from './write.js';

const T = '2025-11-26T10:00:00.000Z';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small, fully deterministic corpus: two articles (one with emoji), claims, sources (one in a source entity), an opinion, a link and a group. */
function buildCorpus(db: Db): void {
  const a1 = insertArticle(
    db,
    {
      title: 'Peace deal first',
      text: 'Rubio told EU officials that Washington wants a peace deal first.\n\n=Politico reports, citing "diplomats".',
      outlet: 'Ukrainska Pravda',
      url: 'https://example.org/a1',
      publishedAt: '2025-11-25T00:00:00.000Z',
      fileName: 'a1.txt',
    },
    T,
  ).id;
  const a2 = insertArticle(
    db,
    {
      title: 'Emoji 🇺🇦 article',
      text: 'Kyiv 🇺🇦 says: “a peace deal before guarantees” 😀 is unacceptable.',
      outlet: null,
      fileName: 'a2.txt',
    },
    T,
  ).id;
  const ann = (n: number, articleId: number, text: string, quote: string, label: string, note = '') => {
    const u16 = text.indexOf(quote);
    const start = codePointLength(text.slice(0, u16));
    insertAnnotation(db, {
      id: id(n),
      articleId,
      start,
      end: start + codePointLength(quote),
      quote,
      prefix: '',
      suffix: '',
      label,
      annotator: 'Dana',
      note,
      createdAt: T,
      updatedAt: T,
    });
  };
  const t1 = 'Rubio told EU officials that Washington wants a peace deal first.\n\n=Politico reports, citing "diplomats".';
  const t2 = 'Kyiv 🇺🇦 says: “a peace deal before guarantees” 😀 is unacceptable.';
  ann(1, a1, t1, 'Washington wants a peace deal first', 'claim', '=HYPERLINK("x")');
  ann(2, a1, t1, 'Rubio', 'source');
  ann(3, a2, t2, 'a peace deal before guarantees', 'claim');
  ann(4, a2, t2, 'is unacceptable', 'opinion');
  ann(5, a2, t2, 'Kyiv 🇺🇦', 'source');
  insertLink(db, { id: id(10), claimId: id(1), sourceId: id(2), kind: 'paraphrase', annotator: 'Dana', createdAt: T });
  insertLink(db, { id: id(11), claimId: id(3), sourceId: id(5), kind: 'direct', annotator: 'Dana', createdAt: T });
  insertGroup(db, { id: id(20), canonical: 'US wants a peace deal before security guarantees', note: '', createdBy: 'Dana', at: T });
  setMembership(db, id(1), id(20), 'Dana', T);
  setMembership(db, id(3), id(20), 'Dana', T);
  insertEntity(db, { id: id(30), name: 'Marco Rubio', createdBy: 'Dana', at: T });
  setEntityMembership(db, id(2), id(30), 'Dana', T);
}

let db: Db;
let dir: { dir: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.dir, 'x.db'));
  buildCorpus(db);
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

const GOLDEN = join(import.meta.dirname, 'golden');

describe('exports match their golden files', () => {
  for (const kind of EXPORT_KINDS) {
    for (const format of FORMATS[kind]) {
      it(`${kind} as ${format}`, () => {
        const out = buildExport(db, kind, format, { now: T });
        const content = [...out.chunks].join('');
        const file = join(GOLDEN, `${kind}.${format}`);
        // UPDATE_GOLDEN=1 rewrites them after a deliberate change; review the diff.
        if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
        else {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, content);
        }
        expect(content).toBe(readFileSync(file, 'utf8'));
        expect(out.summary.length).toBeGreaterThan(0);
        if (format !== 'csv') {
          const docs = format === 'jsonl' ? content.trim().split('\n') : [content];
          for (const d of docs) expect(() => JSON.parse(d)).not.toThrow();
        }
      });
    }
  }

  it('has no golden file without a test', () => {
    const expected = EXPORT_KINDS.flatMap((k) => FORMATS[k].map((f) => `${k}.${f}`)).sort();
    expect(readdirSync(GOLDEN).sort()).toEqual(expected);
  });
});

describe('what the exports hold', () => {
  it('CSV is RFC 4180 with neutralised formulas, and optional BOM', () => {
    const csv = [...buildExport(db, 'instances', 'csv', { now: T, bom: true }).chunks].join('');
    expect(csv.startsWith('\uFEFFannotation_id,')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      quote: 'Washington wants a peace deal first',
      sources: 'Rubio',
      attribution_kinds: 'paraphrase',
      note: `'=HYPERLINK("x")`,
      start_codepoint: '29',
      end_codepoint: '64',
    });
    expect(rows[1]).toMatchObject({ quote: 'a peace deal before guarantees', sources: 'Kyiv 🇺🇦', attribution_kinds: 'direct quote' });
  });

  it('claims JSON holds the outlet × source map the CSV cannot', () => {
    const json = JSON.parse([...buildExport(db, 'claims', 'json', { now: T }).chunks].join('')) as {
      claims: { outlet_sources: Record<string, string[]>; sources: string[] }[];
    };
    expect(json.claims[0]?.sources).toEqual(['Kyiv 🇺🇦', 'Marco Rubio']);
    expect(json.claims[0]?.outlet_sources['Ukrainska Pravda']).toEqual(['Marco Rubio']);
  });

  it('names a source by its entity, with the entity id and the quoted wordings, in every claims export', () => {
    const t1 = 'Rubio told EU officials that Washington wants a peace deal first.\n\n=Politico reports, citing "diplomats".';
    const at = codePointLength(t1.slice(0, t1.indexOf('Politico')));
    // A second wording of the same entity, cited by the same group.
    insertAnnotation(db, {
      id: id(6),
      articleId: 1,
      start: at,
      end: at + 8,
      quote: 'Politico',
      prefix: '',
      suffix: '',
      label: 'source',
      annotator: 'Dana',
      note: '',
      createdAt: T,
      updatedAt: T,
    });
    insertLink(db, { id: id(12), claimId: id(1), sourceId: id(6), kind: 'direct', annotator: 'Dana', createdAt: T });
    setEntityMembership(db, id(6), id(30), 'Dana', T);
    const csv = parse([...buildExport(db, 'claims', 'csv', { now: T }).chunks].join(''), { columns: true }) as Record<string, string>[];
    expect(csv[0]).toMatchObject({
      sources: 'Kyiv 🇺🇦; Marco Rubio',
      source_entity_ids: id(30),
      source_wordings: 'Marco Rubio: Politico | Rubio',
    });
    const json = JSON.parse([...buildExport(db, 'claims', 'json', { now: T }).chunks].join('')) as {
      claims: { source_entities: unknown }[];
    };
    expect(json.claims[0]?.source_entities).toEqual([{ id: id(30), name: 'Marco Rubio', wordings: ['Politico', 'Rubio'] }]);
    const instances = parse([...buildExport(db, 'instances', 'csv', { now: T }).chunks].join(''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(instances[0]).toMatchObject({
      sources: 'Rubio; Politico',
      source_entities: 'Marco Rubio; Marco Rubio',
      source_entity_ids: `${id(30)}; ${id(30)}`,
    });
  });

  it('JSONL offsets slice the quotes in Python, emoji included', () => {
    const file = join(dir.dir, 'annotations.jsonl');
    writeAtomically(file, buildExport(db, 'annotations', 'jsonl').chunks);
    const py = `
import json, sys
n = 0
for line in open(sys.argv[1], encoding='utf-8'):
    a = json.loads(line)
    for s in a['spans']:
        assert a['text'][s['start']:s['end']] == s['quote'], (s['start'], s['end'], s['quote'])
        assert a['text'].encode('utf-16-le')[2*s['utf16_start']:2*s['utf16_end']].decode('utf-16-le') == s['quote']
        n += 1
    for start, end, label in a['label']:
        assert 0 <= start < end <= len(a['text'])
print(n)
`;
    const run = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('5');
  });

  it('W3C export uses code-point TextPositionSelectors and links as linking annotations', () => {
    const doc = JSON.parse([...buildExport(db, 'w3c', 'jsonld', { now: T }).chunks].join('')) as {
      first: { items: { motivation: string; target: unknown; body: unknown }[] };
    };
    const items = doc.first.items;
    expect(items.filter((i) => i.motivation === 'classifying')).toHaveLength(5);
    expect(items.filter((i) => i.motivation === 'linking')).toHaveLength(2);
    const group = items.find((i) => i.motivation === 'identifying');
    expect(group?.target).toEqual([`urn:uuid:${id(1)}`, `urn:uuid:${id(3)}`]);
  });

  it('instance exports match a claim-by-claim reading across articles with sources only, claims only, both or neither, and across CSV batches', () => {
    // Article ids ascend; the export walks claims, sources and texts side by side, so an article missing from one cursor must not shift the others.
    const layouts = ['sources', 'claims', 'both', 'neither', 'both', 'claims', 'sources', 'both'] as const;
    let n = 100;
    for (const [i, layout] of layouts.entries()) {
      const paragraphs = Array.from({ length: 120 }, (_, k) => `Paragraph ${k} of article ${i} 🇺🇦 with a claim and a source in it.`);
      const text = paragraphs.join('\n\n');
      const articleId = insertArticle(db, { title: `Layout ${i} ${layout}`, text, outlet: `Outlet ${i % 3}`, fileName: null }, T).id;
      const span = (k: number, word: string) => {
        const u16 = text.indexOf(word, text.indexOf(`Paragraph ${k} `));
        const start = codePointLength(text.slice(0, u16));
        return { start, end: start + codePointLength(word), quote: word };
      };
      const sources: string[] = [];
      if (layout === 'sources' || layout === 'both') {
        for (let k = 0; k < 120; k += 40) {
          const sid = id(n++);
          insertAnnotation(db, {
            id: sid,
            articleId,
            ...span(k, 'source'),
            prefix: '',
            suffix: '',
            label: 'source',
            annotator: 'Dana',
            note: '',
            createdAt: T,
            updatedAt: T,
          });
          sources.push(sid);
        }
      }
      if (layout === 'claims' || layout === 'both') {
        for (let k = 0; k < 120; k++) {
          const cid = id(n++);
          insertAnnotation(db, {
            id: cid,
            articleId,
            ...span(k, 'claim'),
            prefix: '',
            suffix: '',
            label: 'claim',
            annotator: 'Dana',
            note: '',
            createdAt: T,
            updatedAt: T,
          });
          // 0–3 sources per claim, in a pattern that also leaves some claims unattributed.
          for (const sid of sources.slice(0, k % 4))
            insertLink(db, {
              id: id(n++),
              claimId: cid,
              sourceId: sid,
              kind: k % 2 ? 'direct' : 'paraphrase',
              annotator: 'Dana',
              createdAt: T,
            });
          if (k % 5 === 0) setMembership(db, cid, id(20), 'Dana', T);
        }
      }
    }
    // The reference: every claim read on its own, in article and text order.
    const claims = db
      .prepare(
        `SELECT a.id, a.article_id, a.start, a.end, a.quote, ar.text, m.group_id FROM annotations a JOIN articles ar ON ar.id = a.article_id LEFT JOIN claim_group_members m ON m.annotation_id = a.id WHERE a.label = 'claim' ORDER BY a.article_id, a.start, a.end, a.id`,
      )
      .all() as { id: string; article_id: number; start: number; end: number; quote: string; text: string; group_id: string | null }[];
    const sourcesOf = db.prepare(
      `SELECT s.id, s.quote, l.kind, em.entity_id, e.name FROM source_links l JOIN annotations s ON s.id = l.source_id
       LEFT JOIN source_entity_members em ON em.annotation_id = s.id LEFT JOIN source_entities e ON e.id = em.entity_id WHERE l.claim_id = ? ORDER BY s.start, s.id`,
    );
    expect(claims.length).toBeGreaterThan(500);
    const json = JSON.parse([...buildExport(db, 'instances', 'json', { now: T }).chunks].join('')) as {
      instances: {
        annotation_id: string;
        article_id: number;
        group_id: string | null;
        group_canonical: string | null;
        utf16_start: number;
        utf16_end: number;
        quote: string;
        sources: { annotation_id: string; quote: string; attribution_kind: string }[];
      }[];
    };
    const csv = parse([...buildExport(db, 'instances', 'csv', { now: T }).chunks].join(''), { columns: true }) as Record<string, string>[];
    expect(json.instances.map((r) => r.annotation_id)).toEqual(claims.map((c) => c.id));
    expect(csv.map((r) => r.annotation_id)).toEqual(claims.map((c) => c.id));
    for (const [i, c] of claims.entries()) {
      const expected = (
        sourcesOf.all(c.id) as { id: string; quote: string; kind: string; entity_id: string | null; name: string | null }[]
      ).map((s) => ({ annotation_id: s.id, quote: s.quote, attribution_kind: s.kind, entity_id: s.entity_id, entity_name: s.name }));
      const row = json.instances[i];
      expect(row?.sources).toEqual(expected);
      expect(row?.group_canonical).toBe(c.group_id === null ? null : 'US wants a peace deal before security guarantees');
      expect(c.text.slice(row?.utf16_start, row?.utf16_end)).toBe(c.quote);
      expect(csv[i]?.source_ids).toBe(expected.map((s) => s.annotation_id).join('; '));
    }
  });

  it('refuses a format a kind does not come in', () => {
    expect(() => buildExport(db, 'claims', 'jsonl')).toThrow(RangeError);
  });
});

describe('CSV cells', () => {
  it('neutralises every dangerous first character, including LF (which csv-stringify misses)', () => {
    fc.assert(
      // (A `;` in the rest gets its own treatment, checked below.)
      fc.property(
        fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n'),
        fc.string().filter((r) => !r.includes(';')),
        (first, rest) => {
          const cell = neutralizeCell(first + rest);
          expect(cell.startsWith("'")).toBe(true);
          const [row] = parse(csvRecord([first + rest]), { relax_column_count: true }) as string[][];
          expect(row?.[0]).toBe(`'${first}${rest}`);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[=+\-@\t\r\n]/.test(s) && !/(^|;)[\s\u200B\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u.test(s)),
        (s) => neutralizeCell(s) === s,
      ),
    );
  });

  it('neutralises a formula after leading spaces or in fullwidth form, and quotes and neutralises cells a `;` list separator would split', () => {
    for (const lead of [' ', '\u00A0', '\u3000', '\u200B', '\uFEFF']) expect(neutralizeCell(`${lead}=1+1`)).toBe(`'${lead}=1+1`);
    expect(neutralizeCell('\uFF1D1+1')).toBe("'\uFF1D1+1");
    expect(neutralizeCell('x;=1+1')).toBe("x;'=1+1");
    expect(neutralizeCell('x; \uFF1DSUM(A1)')).toBe("x; '\uFF1DSUM(A1)");
    // A spreadsheet in a `;` locale reads the record as its cells: the quoted cell stays one, and no part starts a formula.
    const line = csvRecord(['x;=1+1', 'plain']);
    expect(line).toBe('"x;\'=1+1",plain\r\n');
    const [row] = parse(line, { delimiter: ';', relax_quotes: true }) as string[][];
    for (const cell of row ?? []) expect(cell.replace(/^"/, '')).not.toMatch(/^[\s\u200B\uFEFF]*[=+\-@\uFF1D]/u);
  });
});

describe('atomic writes', () => {
  it('leaves no partial file when writing fails midway', () => {
    const file = join(dir.dir, 'out.csv');
    writeFileSync(file, 'previous export');
    function* failing() {
      yield 'half';
      throw new Error('disk full');
    }
    expect(() => writeAtomically(file, failing())).toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('previous export');
    expect(readdirSync(dir.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() => writeAtomically(join(dir.dir, 'missing', 'x.csv'), ['a'])).toThrow(/ENOENT/);
  });
});
