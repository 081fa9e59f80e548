/**
 * The one dispatcher every host calls. It composes the handlers of each API
 * area (main/handlers/) and validates every input with the shared contract
 * before anything runs; a failure of any kind comes back as data.
 */
import { z } from 'zod';
import { contract, type ApiInput, type ApiOutput, type ApiResult, type Dispatcher } from '../shared/api.js';
import { errorMessage } from '../shared/errors.js';
import { isApiMethod, type ApiEvent, type ApiMethod } from '../shared/methods.js';
import { ApiFailure } from './errors.js';
import { annotationHandlers } from './handlers/annotations.js';
import { articleHandlers } from './handlers/articles.js';
import { backupHandlers } from './handlers/backups.js';
import { bundleHandlers } from './handlers/bundles.js';
import { claimHandlers } from './handlers/claims.js';
import { entityHandlers } from './handlers/entities.js';
import { requireAnnotator, type ApiContext, type HandlerContext } from './handlers/context.js';
import { exportHandlers } from './handlers/exports.js';
import { importHandlers } from './handlers/imports.js';
import { labelHandlers } from './handlers/labels.js';
import { reviewHandlers } from './handlers/review.js';
import { settingsHandlers } from './handlers/settings.js';
import { teamHandlers } from './handlers/team.js';
import type { Handlers } from './handlers/types.js';
import { storageFailure } from './storage-errors.js';
import { DEFAULT_KEEP } from './store/backup.js';

export { ApiFailure };
export type { ApiContext };

/** While a backup is being restored, only these answer; everything else waits for the restored database. */
const OPEN_DURING_RESTORE: ReadonlySet<ApiMethod> = new Set(['app.info', 'backups.list']);

export function createHandlers(api: ApiContext, gate: { restoring: boolean } = { restoring: false }): Handlers {
  const { db } = api;
  // In-memory indexes over the database are dropped when a restore replaces its contents under this connection.
  const restored: (() => void)[] = [];
  const emit = (e: ApiEvent) => {
    if (e.name === 'database.restored') for (const f of restored) f();
    api.emit?.(e);
  };
  const ctx: HandlerContext = { api, db, now: api.now ?? (() => new Date().toISOString()), emit, onRestored: (f) => restored.push(f) };
  const annotator = () => requireAnnotator(db);
  return {
    ...settingsHandlers(ctx),
    ...articleHandlers(ctx),
    ...annotationHandlers(ctx),
    ...labelHandlers(ctx),
    ...claimHandlers({ db, now: ctx.now, emit, annotator, onRestored: ctx.onRestored }),
    ...importHandlers(ctx),
    ...exportHandlers(ctx),
    ...bundleHandlers(ctx),
    ...entityHandlers({ db, now: ctx.now, emit, annotator }),
    ...reviewHandlers({ db, now: ctx.now, emit, annotator }),
    ...backupHandlers({
      db,
      databasePath: api.databasePath,
      emit,
      keep: api.backups?.keep ?? DEFAULT_KEEP,
      intervalMs: api.backups?.intervalMs ?? null,
      importing: () => api.imports?.running ?? false,
      gate,
    }),
    ...teamHandlers(api.team),
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
    if (!isApiMethod(method))
      return { ok: false, error: { code: 'unknown_method', message: `unknown API method "${String(method).slice(0, 60)}"` } };
    const parsed = contract[method].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${method}: ${describeZodError(parsed.error)}` } };
    if (gate.restoring && !OPEN_DURING_RESTORE.has(method))
      return { ok: false, error: { code: 'conflict', message: 'a backup is being restored; try again in a moment' } };
    try {
      const handler = handlers[method] as (i: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const failure = storageFailure(err, ctx.databasePath);
      if (failure) return { ok: false, error: { code: failure.code, message: failure.message } };
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${errorMessage(err)}` } };
    }
  };
}

/** Typed direct call, for the CLI and tests. Throws ApiFailure on error. */
export async function call<M extends ApiMethod>(dispatch: Dispatcher, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const r = await dispatch(method, input);
  if (!r.ok) throw new ApiFailure(r.error.code, r.error.message);
  return r.value as ApiOutput<M>;
}
