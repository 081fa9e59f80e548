/**
 * The dispatcher, fed anything: for every API method, random values (deeply
 * nested, prototype-named keys as own properties, 1 MB strings) and mutations
 * of a valid input. It always answers with an ApiResult (never throws), errors
 * are validation or known domain errors (never `internal`), Object.prototype
 * stays as it was, and a call that fails (or only reads) leaves the database
 * exactly as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiInput, ApiResult } from '../shared/api.js';
import { API_METHODS, type ApiMethod } from '../shared/methods.js';
import { call } from './api.js';
import { tempDir, testService, type TestService } from './test-support.js';
import { buildRichLibrary, tagPhrase } from './test-builders.js';
import { connect } from './team/connection.js';
import { addMember } from './team/members.js';
import { migrateTeam } from './team/schema.js';
import { startTestCluster, type TestCluster } from './team/test-cluster.js';

/** For team.join: a real workspace (a throwaway cluster) with the fixture's annotator as a member. */
async function teamWorkspace(): Promise<{ url: string; cluster: TestCluster }> {
  const cluster = await startTestCluster();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Alice', { reviewer: false, password: 'alice-password' });
  await lead.end();
  return { url: cluster.urlFor('Alice', 'alice-password'), cluster };
}

/** Methods that change the database when they succeed; every other one must leave it as it was. */
const WRITES: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'settings.setAnnotator',
  'team.join',
  'team.sync',
  'team.leave',
  'team.dismissRefused',
  'articles.update',
  'articles.delete',
  'articles.createFromText',
  'links.create',
  'links.update',
  'links.delete',
  'groups.create',
  'groups.assign',
  'groups.unassign',
  'groups.delete',
  'groups.restore',
  'groups.update',
  'groups.merge',
  'entities.create',
  'entities.link',
  'entities.unlink',
  'entities.rename',
  'entities.merge',
  'entities.delete',
  'entities.restore',
  'labels.create',
  'labels.update',
  'labels.delete',
  'bundle.import',
  'review.decide',
  'review.acceptAgreed',
  'backups.restore',
  'import.start',
  'annotations.create',
  'annotations.update',
  'annotations.delete',
  'annotations.restore',
]);

/** Errors a caller can be given for a bad input; `internal` means a bug. */
const EXPECTED_CODES = new Set(['invalid_input', 'not_found', 'conflict', 'forbidden']);

const MB = 1 << 20;
const HUGE: readonly string[] = ['x'.repeat(MB), '😀'.repeat(MB / 4), '<script>alert(1)</script>'.repeat(MB / 25), 'AAAA'.repeat(MB / 4)];

interface Fixture {
  svc: TestService;
  valid: { [M in ApiMethod]: ApiInput<M> };
  /** Where import.start may look; anything else that exists on disk is off limits. */
  sandbox: string;
  cleanup: () => void;
}

async function fixture(method: ApiMethod): Promise<Fixture> {
  const svc = await testService({ annotator: 'Alice' });
  const files = tempDir();
  const lib = await buildRichLibrary(svc);
  const [a1, a2] = lib.articleIds as [number, number];
  const t = (name: string) => {
    const a = lib.tags[name];
    if (!a) throw new Error(`no tag ${name}`);
    return a;
  };
  const [group1, group2] = lib.groupIds as [string, string];
  const entity1 = (await call(svc.dispatch, 'entities.create', { name: 'Marco Rubio', annotationIds: [t('source1').id] })).id;
  const entity2 = (await call(svc.dispatch, 'entities.create', { annotationIds: [t('bobSource').id] })).id;
  const temp = await tagPhrase(svc, a2, 'a peace deal', 'opinion');
  const {
    links: _links,
    groupId: _groupId,
    entityId: _entityId,
    ...deleted
  } = await call(svc.dispatch, 'annotations.delete', { id: temp.id });
  svc.grants.grant([join(files.dir, 'missing.txt')]);
  const job = await call(svc.dispatch, 'import.start', { paths: [join(files.dir, 'missing.txt')] });
  await svc.imports.wait(job.id);
  const [item] = await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' });
  const { content: bundle } = await call(svc.dispatch, 'bundle.export', { annotator: 'Bob' });
  const backup =
    method === 'backups.restore' ? (await call(svc.dispatch, 'backups.create', {})).file : 'claimdesk-2026-01-01T00-00-00Z-v1.db';
  const team = method === 'team.join' ? await teamWorkspace() : null;
  const text = (await call(svc.dispatch, 'articles.get', { id: a1 })).text;
  const at = [...text.slice(0, text.indexOf('officials'))].length;

  const valid: Fixture['valid'] = {
    'app.info': {},
    'settings.setAnnotator': { name: 'Carol' },
    'labels.list': {},
    'articles.list': {},
    'articles.get': { id: a1 },
    'articles.update': {
      id: a1,
      title: 'A new title',
      outlet: 'Kyiv Independent',
      url: 'https://example.org/new',
      publishedAt: '2025-11-27',
    },
    'articles.delete': { id: a2 },
    'articles.search': { query: 'peace deal', limit: 5 },
    'articles.createFromText': { text: 'Pasted title\n\nA pasted paragraph about guarantees.', title: 'Pasted' },
    'claims.forArticle': { articleId: a1 },
    'claims.table': {},
    'claims.instances': { groupId: group1 },
    'links.create': { claimId: t('kyiv').id, sourceId: t('diplomat').id, kind: 'paraphrase' },
    'links.update': { id: lib.linkIds[0] as string, kind: 'direct' },
    'links.delete': { id: lib.linkIds[1] as string },
    'groups.list': {},
    'groups.create': { canonical: 'A new claim group', annotationIds: [t('bobClaim').id] },
    'groups.assign': { annotationId: t('kyiv').id, groupId: group1 },
    'groups.unassign': { annotationId: t('claim2').id },
    'groups.update': { id: group1, canonical: 'New wording', note: 'A note' },
    'groups.merge': { intoId: group1, fromId: group2 },
    'groups.delete': { id: group2 },
    'groups.snapshot': { groupIds: [group1], annotationIds: [t('claim1').id] },
    'groups.restore': {
      groups: [
        { id: group1, exists: true, canonical: 'Restored wording', note: '', createdBy: 'Dana', createdAt: '2026-01-01T00:00:00.000Z' },
      ],
      members: [{ annotationId: t('claim1').id, groupId: group1 }],
    },
    'groups.history': { id: group1 },
    'groups.suggest': { annotationId: t('claim1').id, limit: 5 },
    'entities.list': {},
    'entities.create': { name: 'Politico', annotationIds: [t('politico').id] },
    'entities.link': { entityId: entity1, annotationIds: [t('bobSource').id] },
    'entities.unlink': { annotationId: t('source1').id },
    'entities.rename': { id: entity1, name: 'Rubio, Marco' },
    'entities.merge': { intoId: entity1, fromId: entity2 },
    'entities.delete': { id: entity2 },
    'entities.snapshot': { entityIds: [entity1], annotationIds: [t('diplomat').id] },
    'entities.restore': {
      entities: [{ id: entity1, exists: true, name: 'Restored', createdBy: 'Alice', createdAt: '2026-01-01T00:00:00.000Z' }],
      members: [{ annotationId: t('diplomat').id, entityId: entity1 }],
    },
    'entities.history': { id: entity1 },
    'entities.suggest': { annotationId: t('source1').id, limit: 5 },
    'labels.create': { name: 'Fact check', color: '#123456', shortcut: 'f', description: 'Checked.' },
    'labels.update': { id: 'background', name: 'Context', color: '#654321' },
    'labels.delete': { id: 'background', reassignTo: 'opinion' },
    'export.build': { kind: 'instances', format: 'csv', bom: true },
    'bundle.export': { annotator: 'Alice', includeText: false },
    'bundle.import': { fileName: 'bob.json', content: bundle },
    'annotators.progress': {},
    'review.queue': { a: 'Alice', b: 'Bob', articleIds: [a1] },
    'review.queuePage': { a: 'Alice', b: 'Bob', limit: 2 },
    'review.decide': { a: 'Alice', b: 'Bob', itemKey: item?.key ?? '', decision: item?.a ? 'accept_a' : 'accept_b', reason: 'checked' },
    'review.acceptAgreed': { a: 'Alice', b: 'Bob' },
    'review.openAgreed': { a: 'Alice', b: 'Bob' },
    'review.agreement': { a: 'Alice', b: 'Bob' },
    'review.exportLog': { format: 'json' },
    'review.exportAgreement': { a: 'Alice', b: 'Bob', format: 'csv' },
    'backups.list': {},
    'backups.create': {},
    'backups.restore': { file: backup },
    'import.upload': { files: [{ name: 'pasted.txt', data: Buffer.from('Uploaded title\n\nUploaded body.').toString('base64') }] },
    'import.start': { paths: [join(files.dir, 'missing.txt')] },
    'import.status': { jobId: job.id },
    'import.cancel': { jobId: job.id },
    'annotations.list': { articleId: a1 },
    'annotations.create': { articleId: a1, start: at, end: at + 9, quote: 'officials', label: 'claim', note: 'A note' },
    'annotations.update': { id: t('claim1').id, label: 'opinion', note: 'Changed' },
    'annotations.delete': { id: t('politico').id },
    'annotations.restore': { annotation: deleted, links: [], groupId: null },
    'team.status': {},
    // Only team.join's fixture has a workspace; the URL is a placeholder for the others.
    'team.join': { url: team?.url ?? 'postgres://alice@127.0.0.1:1/team', password: 'alice-password' },
    'team.sync': {},
    'team.leave': {},
    'team.dismissRefused': { ids: 'all' },
  };
  return {
    svc,
    valid,
    sandbox: files.dir,
    cleanup: () => {
      void svc.team.close();
      svc.dispose();
      team?.cluster.stop();
      files.cleanup();
    },
  };
}

/** A hash of every row of every table. */
function databaseHash(svc: TestService): string {
  const hash = createHash('sha256');
  for (const { name } of svc.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
    hash.update(`\u0000${name}\u0000`);
    for (const row of svc.db.prepare(`SELECT * FROM "${name}"`).raw().iterate())
      hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  return hash.digest('hex');
}

const prototypeNames = () => [Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort()];
const PROTOTYPE = prototypeNames();

// --- Inputs ------------------------------------------------------------------

const EDGE: readonly unknown[] = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\u202E',
  '0',
  '-1',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'gold',
  'GOLD ',
  'claim',
  '#zzzzzz',
  '2025-02-30',
  '2025-13-01T25:61:00Z',
  '9999-12-31',
  'javascript:alert(1)',
  'https://example.org',
  '../../../../etc/passwd',
  '/',
  '.',
  'C:\\Windows',
  '00000000-0000-4000-8000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'a'.repeat(65),
  'x'.repeat(10_001),
  -1,
  0,
  1,
  1.5,
  -0,
  NaN,
  Infinity,
  -Infinity,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  20_000_001,
  null,
  undefined,
  true,
  false,
  [],
  {},
  [null],
  [[[[[]]]]],
  { '': '' },
  new Date(0),
  10n,
];
const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  'polluted',
  '',
  'id',
  'a'.repeat(MB),
];

const anything = fc.anything({
  maxDepth: 6,
  maxKeys: 6,
  key: fc.oneof(fc.string(), fc.constantFrom(...DANGEROUS_KEYS)),
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Objects with prototype-named keys as own properties, the way JSON.parse makes them, around a valid input. */
const pollution = (valid: unknown) =>
  fc
    .tuple(
      fc.constantFrom(...DANGEROUS_KEYS.slice(0, 4)),
      fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '"yes"', '[1]', 'null'),
      fc.boolean(),
    )
    .map(([key, value, inside]) => {
      const body = JSON.stringify(valid);
      const own = `{${JSON.stringify(key)}:${value}`;
      if (!inside || !body.startsWith('{') || body === '{}')
        return JSON.parse(`${own}${body === '{}' ? '}' : `,${body.slice(1)}`}`) as unknown;
      // Into the first nested object, where there is one.
      const at = body.indexOf(':{', 1);
      return JSON.parse(
        at < 0 ? `${own},${body.slice(1)}` : `${body.slice(0, at + 1)}${own}${body.slice(at + 2) === '}' ? '}' : `,${body.slice(at + 2)}`}`,
      ) as unknown;
    });

type Path = (string | number)[];
function pathsOf(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

type Op =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'wrap' }
  | { kind: 'stringify' };
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.constantFrom(...EDGE), fc.constantFrom(...HUGE), anything, fc.string(), fc.integer(), fc.double())
      .map((value): Op => ({ kind: 'set', value })),
  },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'delete' }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string()), fc.oneof(fc.constantFrom(...EDGE), anything))
      .map(([key, value]): Op => ({ kind: 'add', key, value })),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'wrap' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'stringify' }) },
);

/** Applies `o` at `path` of a copy of `input`. */
function apply(input: unknown, path: Path, o: Op): unknown {
  const root = structuredClone(input);
  const holder = { root } as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = holder;
  let key: string | number = 'root';
  for (const p of path) {
    parent = parent[key] as Record<string | number, unknown>;
    key = p;
  }
  const current = parent[key];
  if (o.kind === 'set') parent[key] = o.value;
  else if (o.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else if (o.kind === 'add') {
    if (current && typeof current === 'object')
      Object.defineProperty(current, o.key, { value: o.value, enumerable: true, writable: true, configurable: true });
    else parent[key] = { [o.key]: o.value };
  } else if (o.kind === 'wrap') parent[key] = [current];
  else parent[key] = JSON.stringify(current) ?? 'undefined';
  return holder.root;
}

const mutation = (valid: unknown) =>
  fc.array(fc.tuple(fc.nat(), op), { minLength: 1, maxLength: 3 }).map((ops) =>
    ops.reduce<unknown>((input, [n, o]) => {
      const paths = pathsOf(input);
      return apply(input, paths[n % paths.length] as Path, o);
    }, valid),
  );

// --- The property -----------------------------------------------------------------

const isPlainResult = (r: unknown): r is ApiResult => {
  if (!r || typeof r !== 'object' || Object.getPrototypeOf(r) !== Object.prototype) return false;
  const x = r as Record<string, unknown>;
  if (x.ok === true) return Object.keys(x).sort().join() === 'ok,value';
  const e = x.error as Record<string, unknown> | undefined;
  return x.ok === false && Object.keys(x).sort().join() === 'error,ok' && typeof e?.code === 'string' && typeof e.message === 'string';
};

/** Whether an input would make import.start read real files outside the test's folder. */
function readsOutsideSandbox(input: unknown, sandbox: string): boolean {
  const paths = (input as { paths?: unknown } | null)?.paths;
  if (!Array.isArray(paths)) return false;
  return paths.some(
    (p) =>
      typeof p === 'string' &&
      p.length > 0 &&
      p.length < 4096 &&
      !p.includes('\u0000') &&
      existsSync(resolve(p)) &&
      !resolve(p).startsWith(sandbox),
  );
}

async function check(f: Fixture, method: ApiMethod, input: unknown): Promise<void> {
  if (method === 'import.start' && readsOutsideSandbox(input, f.sandbox)) return;
  const before = databaseHash(f.svc);
  let result: unknown;
  try {
    result = await f.svc.dispatch(method, input);
  } catch (err) {
    throw new Error(`${method} threw instead of answering: ${String(err)}`);
  }
  expect(isPlainResult(result), `${method}: not an ApiResult: ${JSON.stringify(result)?.slice(0, 300)}`).toBe(true);
  const r = result as ApiResult;
  if (!r.ok) {
    expect(EXPECTED_CODES.has(r.error.code), `${method}: ${r.error.code}: ${r.error.message.slice(0, 500)}`).toBe(true);
    expect(r.error.message.length, `${method}: an error message ${r.error.message.length} characters long`).toBeLessThan(2000);
  }
  if (r.ok && method === 'import.start') await f.svc.imports.wait((r.value as { id: string }).id);
  expect(({} as Record<string, unknown>).polluted, `${method} polluted Object.prototype`).toBeUndefined();
  expect(prototypeNames()).toEqual(PROTOTYPE);
  if (!r.ok || !WRITES.has(method))
    expect(databaseHash(f.svc), `${method} ${r.ok ? 'only reads, but' : 'failed, but'} changed the database`).toBe(before);
}

const RUNS = { anything: 150, mutations: 150, pollution: 30 };

describe('the dispatcher fed anything', () => {
  it('covers every method of the contract', () => {
    expect(API_METHODS.filter((m) => !WRITES.has(m)).length + WRITES.size).toBe(API_METHODS.length);
  });

  it.each([...API_METHODS])(
    '%s',
    async (method) => {
      const f = await fixture(method);
      try {
        // The valid input is valid, so the mutations start from something that passes.
        const valid = f.valid[method];
        const first = await f.svc.dispatch(method, structuredClone(valid));
        expect(first.ok, `${method}: ${first.ok ? '' : first.error.message}`).toBe(true);
        if (first.ok && method === 'import.start') await f.svc.imports.wait((first.value as { id: string }).id);
        // Joined: no background sync from here on, so what changes the database is the call under test.
        if (method === 'team.join') await f.svc.team.close();

        await fc.assert(
          fc.asyncProperty(anything, (input) => check(f, method, input)),
          { numRuns: RUNS.anything, seed: 1123 },
        );
        await fc.assert(
          fc.asyncProperty(mutation(valid), (input) => check(f, method, input)),
          { numRuns: RUNS.mutations, seed: 1124 },
        );
        await fc.assert(
          fc.asyncProperty(pollution(valid), (input) => check(f, method, input)),
          { numRuns: RUNS.pollution, seed: 1125 },
        );
        for (const huge of HUGE) {
          for (const path of pathsOf(valid).filter((p) => p.length > 0))
            await check(f, method, apply(valid, path, { kind: 'set', value: huge }));
        }
      } finally {
        f.cleanup();
      }
    },
    60_000,
  );
});
