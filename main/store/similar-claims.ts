/**
 * The similar-claims index of a host: every claim's wording and every
 * group's name, kept in memory (see ChangingSimilarityIndex) and patched from
 * the change logs (claim annotations, schema 8; claim groups and members,
 * schema 5), so a suggestion right after a tag, a relabel or a group change
 * scores the one claim against the others without reading 100,000 claims.
 * Built from scratch on first use, after a restore, or when the logs no
 * longer hold every change since the index's position.
 */
import type { Suggestion } from '../../shared/schemas.js';
import { ChangingSimilarityIndex } from '../../shared/similarity.js';
import { dataVersion } from './claims-cache.js';
import { CLAIM_LABEL } from './claims.js';
import type { Db } from './database.js';

type Doc = { kind: 'claim'; id: string; articleId: number; groupId: string | null } | { kind: 'group'; id: string };

/** Above this many changed claims or groups, reading them all again is as quick as patching. */
const INCREMENTAL_LIMIT = 5_000;
/** Suggestions scoring below this are not shown. */
const MIN_SCORE = 0.12;

const claimKey = (id: string) => `c:${id}`;
const groupKey = (id: string) => `g:${id}`;

/** Where a change log stands, and whether it holds every change after a position. */
function logState(db: Db, table: 'claims_changes' | 'claim_annotation_changes'): { top: number; holdsAfter: (seq: number) => boolean } {
  // Two statements: SQLite answers a lone min() or max() from the key's b-tree, but both in one statement scan the log.
  const lo = db.prepare(`SELECT min(seq) FROM ${table}`).pluck().get() as number | null;
  const hi = db.prepare(`SELECT max(seq) FROM ${table}`).pluck().get() as number | null;
  const top = hi ?? (db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined) ?? 0;
  return { top, holdsAfter: (seq) => top >= seq && (lo === null ? top === seq : lo <= seq + 1) };
}

export type SimilarClaimsRefresh = 'none' | 'full' | 'incremental';

export class SimilarClaims {
  private index = new ChangingSimilarityIndex<Doc>();
  /** Every group's members by annotation id (claims or not: a member relabelled away may come back). */
  private members = new Map<string, Set<string>>();
  private db: Db | null = null;
  private version: string | null = null;
  private claimSeq = 0;
  private groupSeq = 0;
  /** How the last refresh went (for tests and the benchmark). */
  lastRefresh: SimilarClaimsRefresh = 'none';

  /** Forgets the index: the next use rebuilds it (after the database file was replaced by a restore). */
  reset(): void {
    this.db = null;
    this.version = null;
  }

  /** Brings the index up to date with the database. */
  refresh(db: Db): void {
    const version = dataVersion(db);
    if (db === this.db && version === this.version) {
      this.lastRefresh = 'none';
      return;
    }
    let refresh: SimilarClaimsRefresh = 'none';
    // The log positions and the rows they describe are read in one read transaction, so no write falls between them.
    db.transaction(() => {
      const claims = logState(db, 'claim_annotation_changes');
      const groups = logState(db, 'claims_changes');
      let changedClaims: string[] | null = null;
      let changedGroups: string[] | null = null;
      if (db === this.db && claims.holdsAfter(this.claimSeq) && groups.holdsAfter(this.groupSeq)) {
        changedClaims = db
          .prepare('SELECT DISTINCT annotation_id FROM claim_annotation_changes WHERE seq > ? LIMIT ?')
          .pluck()
          .all(this.claimSeq, INCREMENTAL_LIMIT + 1) as string[];
        changedGroups = db
          .prepare('SELECT DISTINCT group_id FROM claims_changes WHERE seq > ? LIMIT ?')
          .pluck()
          .all(this.groupSeq, INCREMENTAL_LIMIT + 1) as string[];
      }
      if (changedClaims === null || changedGroups === null || changedClaims.length + changedGroups.length > INCREMENTAL_LIMIT) {
        this.rebuild(db);
        refresh = 'full';
      } else if (changedClaims.length + changedGroups.length > 0) {
        this.patchGroups(db, changedGroups);
        this.patchClaims(db, changedClaims);
        refresh = 'incremental';
      }
      this.claimSeq = claims.top;
      this.groupSeq = groups.top;
    }).deferred();
    this.db = db;
    this.version = version;
    this.lastRefresh = refresh;
  }

  private rebuild(db: Db): void {
    this.index = new ChangingSimilarityIndex<Doc>();
    this.members = new Map();
    const claims = db
      .prepare(
        `SELECT a.id, a.quote, a.article_id AS articleId, m.group_id AS groupId FROM annotations a LEFT JOIN claim_group_members m ON m.annotation_id = a.id WHERE a.label = '${CLAIM_LABEL}'`,
      )
      .all() as { id: string; quote: string; articleId: number; groupId: string | null }[];
    for (const c of claims)
      this.index.add(claimKey(c.id), c.quote, { kind: 'claim', id: c.id, articleId: c.articleId, groupId: c.groupId });
    for (const g of db.prepare('SELECT id, canonical FROM claim_groups').all() as { id: string; canonical: string }[])
      this.index.add(groupKey(g.id), g.canonical, { kind: 'group', id: g.id });
    for (const m of db.prepare('SELECT annotation_id AS annotationId, group_id AS groupId FROM claim_group_members').all() as {
      annotationId: string;
      groupId: string;
    }[]) {
      let set = this.members.get(m.groupId);
      if (!set) this.members.set(m.groupId, (set = new Set()));
      set.add(m.annotationId);
    }
  }

  /** Changed groups: their names (or their removal) and who is in them now. */
  private patchGroups(db: Db, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const json = JSON.stringify(ids);
    const names = new Map(
      (
        db.prepare('SELECT id, canonical FROM claim_groups WHERE id IN (SELECT value FROM json_each(?))').all(json) as {
          id: string;
          canonical: string;
        }[]
      ).map((g) => [g.id, g.canonical]),
    );
    const now = new Map<string, Set<string>>();
    for (const m of db
      .prepare(
        'SELECT annotation_id AS annotationId, group_id AS groupId FROM claim_group_members WHERE group_id IN (SELECT value FROM json_each(?))',
      )
      .all(json) as { annotationId: string; groupId: string }[]) {
      let set = now.get(m.groupId);
      if (!set) now.set(m.groupId, (set = new Set()));
      set.add(m.annotationId);
    }
    // Leave the old memberships first, then join the new ones: a claim moved between two changed groups ends in the new one.
    for (const id of ids) {
      for (const m of this.members.get(id) ?? []) {
        const doc = this.index.meta(claimKey(m));
        if (doc?.kind === 'claim' && doc.groupId === id) this.index.setMeta(claimKey(m), { ...doc, groupId: null });
      }
    }
    for (const id of ids) {
      const name = names.get(id);
      if (name === undefined) this.index.remove(groupKey(id));
      else this.index.add(groupKey(id), name, { kind: 'group', id });
      const set = now.get(id);
      if (set) this.members.set(id, set);
      else this.members.delete(id);
      for (const m of set ?? []) {
        const doc = this.index.meta(claimKey(m));
        if (doc?.kind === 'claim') this.index.setMeta(claimKey(m), { ...doc, groupId: id });
      }
    }
  }

  /** Changed claim annotations: made, deleted, relabelled or moved. */
  private patchClaims(db: Db, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const rows = db
      // From the ids to the annotations (CROSS JOIN keeps that order): by label, SQLite would walk every claim.
      .prepare(
        `SELECT a.id, a.quote, a.article_id AS articleId, m.group_id AS groupId FROM json_each(?) j CROSS JOIN annotations a ON a.id = j.value LEFT JOIN claim_group_members m ON m.annotation_id = a.id WHERE a.label = '${CLAIM_LABEL}'`,
      )
      .all(JSON.stringify(ids)) as { id: string; quote: string; articleId: number; groupId: string | null }[];
    const claims = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const c = claims.get(id);
      if (c) this.index.add(claimKey(id), c.quote, { kind: 'claim', id, articleId: c.articleId, groupId: c.groupId });
      else this.index.remove(claimKey(id));
    }
  }

  /**
   * Groups and ungrouped claims of other articles ranked by how alike their
   * wording is to `claim`'s: a group scores its name or its most similar
   * member (the claim itself aside); the claim's own group is left out.
   */
  suggest(db: Db, claim: { id: string; articleId: number; quote: string }, limit: number): Suggestion[] {
    this.refresh(db);
    const own = this.index.meta(claimKey(claim.id));
    const ownGroup = own?.kind === 'claim' ? own.groupId : null;
    const groups = new Map<string, number>();
    const claims: { id: string; articleId: number; score: number }[] = [];
    this.index.scoreAll(claim.quote, MIN_SCORE, (_key, doc, score) => {
      if (doc.kind === 'group') {
        if (doc.id !== ownGroup) groups.set(doc.id, Math.max(groups.get(doc.id) ?? 0, score));
      } else if (doc.groupId) {
        if (doc.id !== claim.id && doc.groupId !== ownGroup) groups.set(doc.groupId, Math.max(groups.get(doc.groupId) ?? 0, score));
      } else if (doc.articleId !== claim.articleId) {
        claims.push({ id: doc.id, articleId: doc.articleId, score });
      }
    });
    const ranked: { kind: 'group' | 'claim'; id: string; score: number; articleId?: number }[] = [
      ...claims.map((c) => ({ kind: 'claim' as const, ...c })),
    ];
    for (const [id, score] of groups) ranked.push({ kind: 'group', id, score });
    // Scores equal to rounding (the index's norms are patched sums) rank by id, as equal scores do.
    const rank = (x: number) => Math.round(x * 1e9);
    ranked.sort((a, b) => rank(b.score) - rank(a.score) || a.id.localeCompare(b.id));
    // A member's group is always in the index (the logs name both); the check costs little on the few shown.
    const shown: typeof ranked = [];
    for (const s of ranked) {
      if (shown.length === limit) break;
      if (s.kind === 'claim' || this.index.has(groupKey(s.id))) shown.push(s);
    }
    const article = db.prepare('SELECT title, outlet FROM articles WHERE id = ?');
    const group = db.prepare('SELECT canonical FROM claim_groups WHERE id = ?').pluck();
    const quote = db.prepare('SELECT quote FROM annotations WHERE id = ?').pluck();
    return shown.map((s) => {
      const score = Math.round(s.score * 1000) / 1000;
      if (s.kind === 'group') return { kind: 'group', id: s.id, text: group.get(s.id) as string, articleTitle: null, outlet: null, score };
      const a = article.get(s.articleId) as { title: string; outlet: string | null };
      return { kind: 'claim', id: s.id, text: quote.get(s.id) as string, articleTitle: a.title, outlet: a.outlet, score };
    });
  }
}
