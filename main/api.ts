/**
 * The implementation of the API contract, and the one dispatcher every host
 * calls. Input is validated with the shared schemas before anything runs.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { contract, type ApiInput, type ApiOutput, type ApiResult, type Dispatcher } from '../shared/api.js';
import { ApiFailure } from './errors.js';
import { storageFailure } from './storage-errors.js';
import { isApiMethod, type ApiEvent, type ApiMethod } from '../shared/methods.js';
import { OffsetIndex } from '../shared/offsets.js';
import type { Annotation } from '../shared/schemas.js';
import { CONTEXT_LENGTH } from '../shared/text.js';
import type { Db } from './store/database.js';
import { deleteArticle, getArticle, getArticleText, insertArticle, listArticles, MATCH_CLOSE, MATCH_OPEN, searchArticles, updateArticleMetadata } from './store/articles.js';
import type { ImportJobs } from './import/jobs.js';
import type { PathGrants } from './grants.js';
import { claimHandlers } from './handlers/claims.js';
import { entityHandlers } from './handlers/entities.js';
import { reviewHandlers } from './handlers/review.js';
import { backupHandlers } from './handlers/backups.js';
import { teamHandlers } from './handlers/team.js';
import type { TeamSync } from './team/sync.js';
import { DEFAULT_KEEP } from './store/backup.js';
import { BundleError, exportBundle, importBundle, parseBundle } from './review/bundle.js';
import { annotatorProgress } from './store/exchange.js';
import { getLink as getLinkById, insertLink, linksOfAnnotation } from './store/links.js';
import { getGroup, groupOf, setMembership } from './store/groups.js';
import { entityOf, getEntity, setEntityMembership } from './store/entities.js';
import { buildExport, type ExportFormat, type ExportKind } from './export/exporters.js';
import { parsePlainArticle } from './import/plain.js';
import { ReadError } from './import/types.js';
import { normalizeText } from '../shared/text.js';
import { deleteAnnotation, getAnnotation, insertAnnotation, listAnnotations, updateAnnotation } from './store/annotations.js';
import { labelExists, listLabels } from './store/labels.js';
import { getSetting, setSetting } from './store/settings.js';
import { errorMessage } from '../shared/errors.js';

export { ApiFailure };

export interface ApiContext {
  db: Db;
  databasePath: string;
  version: string;
  /** Called after every change, so hosts can push events to the renderer. */
  emit?: (event: ApiEvent) => void;
  now?: () => string;
  /** Import jobs; without them the import methods answer with an error. */
  imports?: ImportJobs;
  /** How many backups to keep, and the time between automatic ones (null: none). */
  backups?: { keep: number; intervalMs: number | null };
  /** The paths `import.start` may read (chosen in a dialog, dropped, or on the command line); none without it. */
  grants?: PathGrants;
  /** The team workspace's sync; without it the team methods answer with an error. */
  team?: TeamSync;
}

/** While a backup is being restored, only these answer; everything else waits for the restored database. */
const OPEN_DURING_RESTORE: ReadonlySet<ApiMethod> = new Set(['app.info', 'backups.list']);

type Handlers = { [M in ApiMethod]: (input: ApiOutputOfInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>> };
type ApiOutputOfInput<M extends ApiMethod> = z.output<(typeof contract)[M]['input']>;

/** Checks that [start, end) lies inside the text and holds `quote`; returns the stored context. */
export function anchorIn(text: string, start: number, end: number, quote: string): { prefix: string; suffix: string } {
  const index = new OffsetIndex(text);
  if (end <= start) throw new ApiFailure('invalid_input', `empty or reversed range: start ${start}, end ${end}`);
  if (end > index.length) {
    throw new ApiFailure('invalid_input', `range ${start}–${end} is outside the article (its text is ${index.length} code points long)`);
  }
  const u16Start = index.toUtf16(start);
  const u16End = index.toUtf16(end);
  const actual = text.slice(u16Start, u16End);
  if (actual !== quote) {
    throw new ApiFailure('invalid_input', `the quote does not match the text at ${start}–${end}: expected ${JSON.stringify(actual.slice(0, 80))}`);
  }
  return {
    prefix: text.slice(index.toUtf16(Math.max(0, start - CONTEXT_LENGTH)), u16Start),
    suffix: text.slice(u16End, index.toUtf16(Math.min(index.length, end + CONTEXT_LENGTH))),
  };
}

export function createHandlers(ctx: ApiContext, gate: { restoring: boolean } = { restoring: false }): Handlers {
  const { db } = ctx;
  const now = ctx.now ?? (() => new Date().toISOString());
  // In-memory indexes over the database are dropped when a restore replaces its contents under this connection.
  const restored: (() => void)[] = [];
  const emit = (e: ApiEvent) => {
    if (e.name === 'database.restored') for (const f of restored) f();
    ctx.emit?.(e);
  };
  const info = (): ApiOutput<'app.info'> => ({
    version: ctx.version,
    databasePath: ctx.databasePath,
    annotator: getSetting(db, 'annotator'),
    offsetUnit: 'codepoint',
  });
  const requireAnnotation = (id: string): Annotation => {
    const a = getAnnotation(db, id);
    if (!a) throw new ApiFailure('not_found', `no annotation with id ${id}`);
    return a;
  };
  const requireLabel = (id: string) => {
    if (!labelExists(db, id)) throw new ApiFailure('invalid_input', `unknown label "${id}"`);
  };
  const requireText = (articleId: number): string => {
    const text = getArticleText(db, articleId);
    if (text === null) throw new ApiFailure('not_found', `no article with id ${articleId}`);
    return text;
  };

  const requireArticle = (id: number) => {
    const a = getArticle(db, id);
    if (!a) throw new ApiFailure('not_found', `no article with id ${id}`);
    return a;
  };
  const imports = (): ImportJobs => {
    if (!ctx.imports) throw new ApiFailure('conflict', 'importing is not available in this host');
    return ctx.imports;
  };
  const wrapJobError = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw err instanceof ApiFailure ? err : new ApiFailure('not_found', (err as Error).message);
    }
  };

  const requireAnnotator = (): string => {
    const name = getSetting(db, 'annotator');
    if (!name) throw new ApiFailure('conflict', 'set the annotator name first');
    return name;
  };

  return {
    ...claimHandlers({ db, now, emit, annotator: requireAnnotator, onRestored: (f) => restored.push(f) }),
    ...entityHandlers({ db, now, emit, annotator: requireAnnotator }),
    ...reviewHandlers({ db, now, emit, annotator: requireAnnotator }),
    ...backupHandlers({
      db,
      databasePath: ctx.databasePath,
      emit,
      keep: ctx.backups?.keep ?? DEFAULT_KEEP,
      intervalMs: ctx.backups?.intervalMs ?? null,
      importing: () => ctx.imports?.running ?? false,
      gate,
    }),
    ...teamHandlers(ctx.team),
    'export.build': ({ kind, format, bom, layer }) => {
      let built;
      try {
        built = buildExport(db, kind as ExportKind, format as ExportFormat, { bom, layer: layer ?? null });
      } catch (err) {
        if (err instanceof RangeError) throw new ApiFailure('invalid_input', err.message);
        throw err;
      }
      return { fileName: built.fileName, mimeType: built.mimeType, content: [...built.chunks].join(''), summary: built.summary };
    },
    'bundle.export': ({ annotator, includeText }) => {
      const bundle = exportBundle(db, annotator, { includeText: includeText ?? true });
      const slug = annotator.toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'annotator';
      return {
        fileName: `claimdesk-bundle-${slug}-${bundle.exported_at.slice(0, 10)}.json`,
        content: JSON.stringify(bundle, null, 1),
        summary: [`${bundle.annotations.length} annotations by ${annotator} on ${bundle.articles.length} articles, ${bundle.links.length} links, ${bundle.groups.length} claim groups${includeText === false ? ' (article texts left out)' : ''}.`],
      };
    },
    'bundle.import': async ({ fileName, content }) => {
      try {
        const report = await importBundle(db, parseBundle(content, fileName), fileName, {
          now: now(),
          onProgress: (done, total) => emit({ name: 'bundle.progress', bundle: { fileName, done, total } }),
        });
        emit({ name: 'articles.changed' });
        emit({ name: 'annotations.changed' });
        emit({ name: 'claims.changed' });
        if (report.labelsAdded.length || report.labelsAdopted?.length) emit({ name: 'labels.changed' });
        return report;
      } catch (err) {
        if (err instanceof BundleError) throw new ApiFailure('invalid_input', err.message);
        throw err;
      }
    },
    'annotators.progress': () => annotatorProgress(db),
    'app.info': () => info(),
    'settings.setAnnotator': ({ name }) => {
      if (name.toLocaleLowerCase() === 'gold') throw new ApiFailure('invalid_input', '"gold" is the name of the reviewed layer; choose another annotator name');
      const member = ctx.team?.status().member;
      if (member && member !== name) throw new ApiFailure('conflict', `this library is in a team workspace as "${member}"; its annotator name is that member's`);
      setSetting(db, 'annotator', name);
      return info();
    },
    'labels.list': () => listLabels(db),
    'articles.list': () => listArticles(db),
    'articles.get': ({ id }) => requireArticle(id),
    'articles.update': ({ id, title, outlet, url, publishedAt }) => {
      requireArticle(id);
      const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
      const date = blankToNull(publishedAt);
      db.transaction(() =>
        updateArticleMetadata(db, id, { title, outlet: blankToNull(outlet), url: blankToNull(url), publishedAt: date ? new Date(date).toISOString() : date }),
      )();
      emit({ name: 'articles.changed', articleId: id });
      return requireArticle(id);
    },
    'articles.delete': ({ id }) => {
      requireArticle(id);
      const annotationsDeleted = db.transaction(() => deleteArticle(db, id))();
      emit({ name: 'articles.changed', articleId: id });
      return { id, annotationsDeleted };
    },
    'articles.search': ({ query, limit }) =>
      searchArticles(db, query, limit ?? 50).map((row) => {
        // Offset of the first highlighted word in the text, so the article opens scrolled to it.
        const term = row.snippet.split(MATCH_OPEN)[1]?.split(MATCH_CLOSE)[0] ?? '';
        const text = getArticleText(db, row.id) ?? '';
        const at = term ? text.toLocaleLowerCase().indexOf(term.toLocaleLowerCase()) : -1;
        const index = new OffsetIndex(text);
        return {
          articleId: row.id,
          title: row.title,
          outlet: row.outlet,
          snippet: row.snippet,
          matchStart: at >= 0 ? index.toCodePoint(at) : null,
          matchLength: at >= 0 ? [...term].length : 0,
        };
      }),
    'articles.createFromText': ({ text, title }) => {
      let parsed;
      try {
        parsed = title?.trim() ? { title: title.trim(), text: normalizeText(text).trim() } : parsePlainArticle(text);
      } catch (err) {
        if (err instanceof ReadError) throw new ApiFailure('invalid_input', `the pasted text: ${err.message}`);
        throw err;
      }
      if (parsed.text === '') throw new ApiFailure('invalid_input', 'the pasted text is empty');
      const stored = db.transaction(() => insertArticle(db, { ...parsed, fileName: null }))();
      if (!stored.duplicate) emit({ name: 'articles.changed', articleId: stored.id });
      return {
        source: 'pasted text',
        status: stored.duplicate ? 'duplicate' : 'imported',
        articleId: stored.id,
        title: parsed.title,
        ...(stored.duplicate ? { message: 'the same text is already in the library' } : {}),
      };
    },
    'import.upload': async ({ uploadId, files }) => {
      try {
        return await imports().upload(uploadId, files);
      } catch (err) {
        throw err instanceof ApiFailure ? err : new ApiFailure('not_found', (err as Error).message);
      }
    },
    'import.start': async (spec) => {
      if ('paths' in spec) {
        const refused = spec.paths.find((p) => !ctx.grants?.allows(p));
        if (refused !== undefined) {
          throw new ApiFailure('forbidden', `"${refused.slice(0, 300)}" was not chosen in a dialog, dropped on the window or given on the command line; only those can be imported by path`);
        }
      }
      try {
        return await imports().start(spec);
      } catch (err) {
        throw err instanceof ApiFailure ? err : new ApiFailure('not_found', (err as Error).message);
      }
    },
    'import.status': ({ jobId }) => wrapJobError(() => imports().status(jobId)),
    'import.cancel': ({ jobId }) => wrapJobError(() => imports().cancel(jobId)),
    'annotations.list': ({ articleId, startBefore }) => {
      requireText(articleId);
      return listAnnotations(db, articleId, startBefore);
    },
    'annotations.create': (input) => {
      const annotator = getSetting(db, 'annotator');
      if (!annotator) throw new ApiFailure('conflict', 'set the annotator name before tagging');
      requireLabel(input.label);
      const context = anchorIn(requireText(input.articleId), input.start, input.end, input.quote);
      const id = input.id ?? randomUUID();
      if (getAnnotation(db, id)) throw new ApiFailure('conflict', `an annotation with id ${id} already exists`);
      const t = now();
      const a: Annotation = {
        id,
        articleId: input.articleId,
        start: input.start,
        end: input.end,
        quote: input.quote,
        ...context,
        label: input.label,
        annotator,
        note: input.note ?? '',
        createdAt: t,
        updatedAt: t,
      };
      db.transaction(() => insertAnnotation(db, a))();
      emit({ name: 'annotations.changed', articleId: a.articleId });
      return a;
    },
    'annotations.update': ({ id, label, note }) => {
      const before = requireAnnotation(id);
      if (label !== undefined) requireLabel(label);
      db.transaction(() => updateAnnotation(db, id, { label, note }, now()))();
      emit({ name: 'annotations.changed', articleId: before.articleId });
      return requireAnnotation(id);
    },
    'annotations.delete': ({ id }) => {
      const before = requireAnnotation(id);
      const links = linksOfAnnotation(db, id);
      const groupId = groupOf(db, id);
      const entityId = entityOf(db, id);
      db.transaction(() => deleteAnnotation(db, id))();
      emit({ name: 'annotations.changed', articleId: before.articleId });
      return { ...before, links, groupId, entityId };
    },
    'annotations.restore': ({ annotation, links, groupId, entityId }) => {
      // The undo of a delete passes the checks a new tag, link and group membership pass.
      const annotator = getSetting(db, 'annotator');
      if (!annotator) throw new ApiFailure('conflict', 'set the annotator name before tagging');
      if (annotation.annotator !== annotator) throw new ApiFailure('invalid_input', `only your own annotations can be restored (this one is ${JSON.stringify(annotation.annotator.slice(0, 80))}'s)`);
      const at = now();
      const created = Date.parse(annotation.createdAt);
      const updated = Date.parse(annotation.updatedAt);
      if (Number.isNaN(created) || Number.isNaN(updated) || updated < created || updated > Date.parse(at) + 60_000) throw new ApiFailure('invalid_input', 'the annotation’s timestamps are not those of a deleted annotation (unreadable, in the future, or updated before it was created)');
      requireLabel(annotation.label);
      const context = anchorIn(requireText(annotation.articleId), annotation.start, annotation.end, annotation.quote);
      if (getAnnotation(db, annotation.id)) throw new ApiFailure('conflict', `an annotation with id ${annotation.id} already exists`);
      for (const l of links ?? []) {
        if (l.claimId !== annotation.id && l.sourceId !== annotation.id) continue;
        const other = getAnnotation(db, l.claimId === annotation.id ? l.sourceId : l.claimId);
        if (!other) continue;
        const claim = l.claimId === annotation.id ? annotation : other;
        const source = l.claimId === annotation.id ? other : annotation;
        if (claim.label !== 'claim' || source.label !== 'source') throw new ApiFailure('invalid_input', `link ${l.id}: an attribution links a claim to a source, not a ${claim.label} to a ${source.label}`);
        if (claim.articleId !== source.articleId) throw new ApiFailure('invalid_input', `link ${l.id}: a claim can only be attributed to a source in the same article`);
        if (l.annotator !== annotator) throw new ApiFailure('invalid_input', `link ${l.id}: only your own links can be restored`);
      }
      if (groupId && annotation.label !== 'claim') throw new ApiFailure('invalid_input', `a claim group holds claims; this annotation is a ${annotation.label}`);
      if (entityId && annotation.label !== 'source') throw new ApiFailure('invalid_input', `a source entity holds sources; this annotation is a ${annotation.label}`);
      const a = { ...annotation, ...context };
      db.transaction(() => {
        insertAnnotation(db, a);
        // Links and group membership come back where their other ends still exist.
        for (const l of links ?? []) {
          if (l.claimId !== a.id && l.sourceId !== a.id) continue;
          if (getAnnotation(db, l.claimId === a.id ? l.sourceId : l.claimId) && !getLinkById(db, l.id)) insertLink(db, l);
        }
        if (groupId && getGroup(db, groupId)) setMembership(db, a.id, groupId, a.annotator, now());
        if (entityId && getEntity(db, entityId)) setEntityMembership(db, a.id, entityId, a.annotator, now());
      })();
      emit({ name: 'annotations.changed', articleId: a.articleId });
      if ((links?.length ?? 0) > 0 || groupId || entityId) emit({ name: 'claims.changed', articleId: a.articleId });
      return a;
    },
  };
}

/** At most `n` characters of `s`: a message never echoes a huge input back (a 1 MB key, say). */
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => clip(i.path.length ? `${i.path.map((p) => clip(String(p), 60)).join('.')}: ${i.message}` : i.message, 200))
    .join('; ');
}

/** The dispatcher every host uses: validates, runs, and turns every failure into data. */
export function createDispatcher(ctx: ApiContext): Dispatcher {
  const gate = { restoring: false };
  const handlers = createHandlers(ctx, gate);
  return async (method, input): Promise<ApiResult> => {
    if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown API method "${String(method).slice(0, 60)}"` } };
    const parsed = contract[method].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${method}: ${describeZodError(parsed.error)}` } };
    if (gate.restoring && !OPEN_DURING_RESTORE.has(method)) return { ok: false, error: { code: 'conflict', message: 'a backup is being restored; try again in a moment' } };
    try {
      const handler = handlers[method] as (i: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const failure = storageFailure(err, ctx.databasePath);
      if (failure) return { ok: false, error: { code: failure.code, message: failure.message } };
      const message = errorMessage(err);
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
    }
  };
}

/** Typed direct call, for the CLI and tests. Throws ApiFailure on error. */
export async function call<M extends ApiMethod>(dispatch: Dispatcher, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const r = await dispatch(method, input);
  if (!r.ok) throw new ApiFailure(r.error.code, r.error.message);
  return r.value as ApiOutput<M>;
}
