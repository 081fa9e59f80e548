/**
 * What every API handler is given: the library, the clock, the event sink, the
 * host's optional services (imports, grants, backups, team), and the checks
 * many methods share, each written once.
 */
import { AnchorMismatch, anchorIn } from '../../shared/anchoring.js';
import type { ApiEvent } from '../../shared/methods.js';
import type { Annotation, Article } from '../../shared/schemas.js';
import { ApiFailure } from '../errors.js';
import type { PathGrants } from '../grants.js';
import type { ImportJobs } from '../import/jobs.js';
import { getAnnotation } from '../store/annotations.js';
import { getArticle, getArticleText } from '../store/articles.js';
import type { Db } from '../store/database.js';
import { labelExists } from '../store/labels.js';
import { getSetting } from '../store/settings.js';
import type { TeamSync } from '../team/sync.js';

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

/** The context as handlers use it: the host's, with the clock and event sink filled in. */
export interface HandlerContext {
  api: ApiContext;
  db: Db;
  now: () => string;
  emit: (e: ApiEvent) => void;
  /** Registers what to do after a restore replaced the database's contents under the same connection. */
  onRestored: (f: () => void) => void;
}

/** The annotation with this id (of this label, when given), or a not-found failure. */
export function requireAnnotation(db: Db, id: string, label?: string): Annotation {
  const a = getAnnotation(db, id);
  if (!a) throw new ApiFailure('not_found', `no annotation with id ${id}`);
  if (label && a.label !== label) throw new ApiFailure('invalid_input', `annotation ${id} is a ${a.label}, not a ${label}`);
  return a;
}

export function requireLabel(db: Db, id: string): void {
  if (!labelExists(db, id)) throw new ApiFailure('invalid_input', `unknown label "${id}"`);
}

export function requireText(db: Db, articleId: number): string {
  const text = getArticleText(db, articleId);
  if (text === null) throw new ApiFailure('not_found', `no article with id ${articleId}`);
  return text;
}

export function requireArticle(db: Db, id: number): Article {
  const a = getArticle(db, id);
  if (!a) throw new ApiFailure('not_found', `no article with id ${id}`);
  return a;
}

/** The library's annotator; a conflict while none is set. */
export function requireAnnotator(db: Db, doing?: string): string {
  const name = getSetting(db, 'annotator');
  if (!name) throw new ApiFailure('conflict', doing ? `set the annotator name before ${doing}` : 'set the annotator name first');
  return name;
}

/** {@link anchorIn} against a stored article, a mismatch reported as invalid input. */
export function anchorInArticle(db: Db, articleId: number, start: number, end: number, quote: string): { prefix: string; suffix: string } {
  try {
    return anchorIn(requireText(db, articleId), start, end, quote);
  } catch (err) {
    if (err instanceof AnchorMismatch) throw new ApiFailure('invalid_input', err.message);
    throw err;
  }
}
