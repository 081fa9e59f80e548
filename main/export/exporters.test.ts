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
import { tempDir } from '../test-support.js';
import { buildExport, csvRecord, EXPORT_KINDS, FORMATS, neutralizeCell } from './exporters.js';
import { writeAtomically } from './write.js';

const T = '2025-11-26T10:00:00.000Z';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small, fully deterministic corpus: two articles (one with emoji), claims, sources, an opinion, a link and a group. */
function buildCorpus(db: Db): void {
  const a1 = insertArticle(db, { title: 'Peace deal first', text: 'Rubio told EU officials that Washington wants a peace deal first.\n\n=Politico reports, citing "diplomats".', outlet: 'Ukrainska Pravda', url: 'https://example.org/a1', publishedAt: '2025-11-25T00:00:00.000Z', fileName: 'a1.txt' }, T).id;
  const a2 = insertArticle(db, { title: 'Emoji 🇺🇦 article', text: 'Kyiv 🇺🇦 says: “a peace deal before guarantees” 😀 is unacceptable.', outlet: null, fileName: 'a2.txt' }, T).id;
  const ann = (n: number, articleId: number, text: string, quote: string, label: string, note = '') => {
    const u16 = text.indexOf(quote);
    const start = codePointLength(text.slice(0, u16));
    insertAnnotation(db, { id: id(n), articleId, start, end: start + codePointLength(quote), quote, prefix: '', suffix: '', label, annotator: 'Dana', note, createdAt: T, updatedAt: T });
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
    expect(rows[0]).toMatchObject({ quote: 'Washington wants a peace deal first', sources: 'Rubio', attribution_kinds: 'paraphrase', note: `'=HYPERLINK("x")`, start_codepoint: '29', end_codepoint: '64' });
    expect(rows[1]).toMatchObject({ quote: 'a peace deal before guarantees', sources: 'Kyiv 🇺🇦', attribution_kinds: 'direct quote' });
  });

  it('claims JSON holds the outlet × source map the CSV cannot', () => {
    const json = JSON.parse([...buildExport(db, 'claims', 'json', { now: T }).chunks].join('')) as { claims: { outlet_sources: Record<string, string[]>; sources: string[] }[] };
    expect(json.claims[0]?.sources).toEqual(['Kyiv 🇺🇦', 'Rubio']);
    expect(json.claims[0]?.outlet_sources['Ukrainska Pravda']).toEqual(['Rubio']);
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
    const doc = JSON.parse([...buildExport(db, 'w3c', 'jsonld', { now: T }).chunks].join('')) as { first: { items: { motivation: string; target: unknown; body: unknown }[] } };
    const items = doc.first.items;
    expect(items.filter((i) => i.motivation === 'classifying')).toHaveLength(5);
    expect(items.filter((i) => i.motivation === 'linking')).toHaveLength(2);
    const group = items.find((i) => i.motivation === 'identifying');
    expect(group?.target).toEqual([`urn:uuid:${id(1)}`, `urn:uuid:${id(3)}`]);
  });

  it('refuses a format a kind does not come in', () => {
    expect(() => buildExport(db, 'claims', 'jsonl')).toThrow(RangeError);
  });
});

describe('CSV cells', () => {
  it('neutralises every dangerous first character, including LF (which csv-stringify misses)', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n'), fc.string(), (first, rest) => {
        const cell = neutralizeCell(first + rest);
        expect(cell.startsWith("'")).toBe(true);
        const [row] = parse(csvRecord([first + rest]), { relax_column_count: true }) as string[][];
        expect(row?.[0]).toBe(`'${first}${rest}`);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[=+\-@\t\r\n]/.test(s)),
        (s) => neutralizeCell(s) === s,
      ),
    );
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
