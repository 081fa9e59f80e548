/**
 * Attribution links, claim groups (with history and suggestions), the claims
 * table and labels: the API handlers of the cross-article work.
 */
import { ATTRIBUTABLE_LABELS } from '../../shared/labels.js';
import { randomUUID } from 'node:crypto';
import type { ApiOutput } from '../../shared/api.js';
import type { ApiEvent } from '../../shared/methods.js';
import type { Annotation, ClaimGroup, GroupingSnapshot } from '../../shared/schemas.js';
import { ApiFailure } from '../errors.js';
import { requireAnnotation as requireAnnotationIn } from './context.js';
import { requireOwnLayer } from './own-layer.js';
import type { Db } from '../store/database.js';
import { getAnnotation } from '../store/annotations.js';
import { CLAIM_LABEL, firstRows, SOURCE_LABEL } from '../store/claims.js';
import { claimInstances } from '../store/claim-instances.js';
import { ClaimRowsCache } from '../store/claims-cache.js';
import { SimilarClaims } from '../store/similar-claims.js';
import { entityMembershipsOfArticle } from '../store/entities.js';
import {
  addHistory,
  deleteGroup,
  getGroup,
  groupHistory,
  groupingSnapshot,
  restoreGrouping,
  groupOf,
  insertGroup,
  listGroups,
  memberIds,
  membershipsOfArticle,
  moveMembers,
  removeMembership,
  setMembership,
  touchGroup,
  updateGroup,
} from '../store/groups.js';
import { deleteLink, findLink, getLink, insertLink, linksOfArticle, setLinkKind } from '../store/links.js';

export interface ClaimsContext {
  db: Db;
  now: () => string;
  emit: (e: ApiEvent) => void;
  /** The current annotator; throws when none is set. */
  annotator: () => string;
  /** Registers what to do after a restore replaced the database's contents under the same connection. */
  onRestored?: (f: () => void) => void;
}

export function claimHandlers(ctx: ClaimsContext) {
  const { db, now, emit } = ctx;
  const tx = <T>(f: () => T): T => db.transaction(f)();
  const claimsCache = new ClaimRowsCache();
  /** A layer's table, kept while it is looked at (a few layers at most: one per annotator). */
  const layerCaches = new Map<string, ClaimRowsCache>();
  const tableOf = (layer: string | null) => {
    if (layer === null) return claimsCache.rows(db);
    let cache = layerCaches.get(layer);
    if (!cache) layerCaches.set(layer, (cache = new ClaimRowsCache(layer)));
    return cache.rows(db);
  };
  const similarClaims = new SimilarClaims();
  ctx.onRestored?.(() => {
    similarClaims.reset();
    // A layer's table lives in memory only: after a restore it is built again from the restored file.
    layerCaches.clear();
  });

  const requireAnnotation = (id: string, label?: string): Annotation => requireAnnotationIn(db, id, label);
  const requireGroup = (id: string): ClaimGroup => {
    const g = getGroup(db, id);
    if (!g) throw new ApiFailure('not_found', `no claim group with id ${id}`);
    return g;
  };
  const requireLink = (id: string) => {
    const l = getLink(db, id);
    if (!l) throw new ApiFailure('not_found', `no source link with id ${id}`);
    return l;
  };
  const changed = (articleId?: number) => emit({ name: 'claims.changed', ...(articleId === undefined ? {} : { articleId }) });

  /**
   * Moves a claim into a group, recording removal from its old group. A group
   * left empty is kept, with its wording and note, until the analyst deletes
   * it (`groups.delete`).
   */
  const assign = (annotationId: string, groupId: string, actor: string, at: string) => {
    const previous = groupOf(db, annotationId);
    if (previous === groupId) return;
    setMembership(db, annotationId, groupId, actor, at);
    addHistory(db, groupId, 'add', { annotationId, from: previous }, actor, at);
    touchGroup(db, groupId, at);
    if (previous) leaveGroup(previous, annotationId, actor, at);
  };
  const leaveGroup = (groupId: string, annotationId: string, actor: string, at: string) => {
    addHistory(db, groupId, 'remove', { annotationId }, actor, at);
    touchGroup(db, groupId, at);
  };

  return {
    'claims.forArticle': ({ articleId }: { articleId: number }): ApiOutput<'claims.forArticle'> => ({
      links: linksOfArticle(db, articleId),
      memberships: membershipsOfArticle(db, articleId),
      entities: entityMembershipsOfArticle(db, articleId),
    }),
    'claims.table': ({ limit, layer }: { limit?: number; layer?: string }): ApiOutput<'claims.table'> => {
      const rows = tableOf(layer ?? null);
      return limit === undefined ? rows : firstRows(rows, limit);
    },
    'claims.instances': ({
      groupId,
      claimId,
      layer,
    }: {
      groupId: string | null;
      claimId?: string;
      layer?: string;
    }): ApiOutput<'claims.instances'> => {
      if (groupId !== null) requireGroup(groupId);
      if (claimId !== undefined) requireAnnotation(claimId, CLAIM_LABEL);
      return claimInstances(db, groupId, { layer: layer ?? null, ...(claimId === undefined ? {} : { claimId }) });
    },

    'links.create': (input: {
      id?: string;
      claimId: string;
      sourceId: string;
      kind?: 'direct' | 'paraphrase' | 'unnamed';
    }): ApiOutput<'links.create'> => {
      const claim = requireAnnotation(input.claimId);
      if (!ATTRIBUTABLE_LABELS.includes(claim.label))
        throw new ApiFailure(
          'invalid_input',
          `annotation ${claim.id} is a ${claim.label}, not a claim or an opinion: only those are attributed to a source`,
        );
      const source = requireAnnotation(input.sourceId, SOURCE_LABEL);
      // An attribution is part of the layer of the tags it joins: both ends must be the analyst's own.
      const me = ctx.annotator();
      requireOwnLayer(me, claim.annotator, `annotation ${claim.id}`, 'attributed');
      requireOwnLayer(me, source.annotator, `annotation ${source.id}`, 'linked as a source');
      if (claim.articleId !== source.articleId)
        throw new ApiFailure('invalid_input', 'a claim can only be attributed to a source in the same article');
      const existing = findLink(db, claim.id, source.id);
      if (existing) return existing;
      const link = {
        id: input.id ?? randomUUID(),
        claimId: claim.id,
        sourceId: source.id,
        kind: input.kind ?? 'paraphrase',
        annotator: ctx.annotator(),
        createdAt: now(),
      } as const;
      if (getLink(db, link.id)) throw new ApiFailure('conflict', `a link with id ${link.id} already exists`);
      tx(() => insertLink(db, link));
      changed(claim.articleId);
      return link;
    },
    'links.update': ({ id, kind }: { id: string; kind: 'direct' | 'paraphrase' | 'unnamed' }): ApiOutput<'links.update'> => {
      requireOwnLayer(ctx.annotator(), requireLink(id).annotator, `link ${id}`, 'changed');
      tx(() => setLinkKind(db, id, kind));
      changed();
      return requireLink(id);
    },
    'links.delete': ({ id }: { id: string }): ApiOutput<'links.delete'> => {
      const link = requireLink(id);
      requireOwnLayer(ctx.annotator(), link.annotator, `link ${id}`, 'deleted');
      tx(() => deleteLink(db, id));
      changed();
      return link;
    },

    'groups.list': (): ApiOutput<'groups.list'> => listGroups(db),
    'groups.create': ({
      id,
      canonical,
      annotationIds,
    }: {
      id?: string;
      canonical?: string;
      annotationIds: string[];
    }): ApiOutput<'groups.create'> => {
      const members = annotationIds.map((a) => requireAnnotation(a, CLAIM_LABEL));
      const wording = canonical?.trim() || members[0]?.quote.replace(/\s+/g, ' ').trim();
      if (!wording) throw new ApiFailure('invalid_input', 'a new group needs a canonical wording or at least one claim');
      const groupId = id ?? randomUUID();
      if (getGroup(db, groupId)) throw new ApiFailure('conflict', `a group with id ${groupId} already exists`);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        insertGroup(db, { id: groupId, canonical: wording, note: '', createdBy: actor, at });
        addHistory(db, groupId, 'create', { canonical: wording }, actor, at);
        for (const m of members) assign(m.id, groupId, actor, at);
      });
      changed();
      return requireGroup(groupId);
    },
    'groups.assign': ({ annotationId, groupId }: { annotationId: string; groupId: string }): ApiOutput<'groups.assign'> => {
      requireAnnotation(annotationId, CLAIM_LABEL);
      requireGroup(groupId);
      const actor = ctx.annotator();
      tx(() => assign(annotationId, groupId, actor, now()));
      changed();
      return requireGroup(groupId);
    },
    'groups.unassign': ({ annotationId }: { annotationId: string }): ApiOutput<'groups.unassign'> => {
      requireAnnotation(annotationId, CLAIM_LABEL);
      const groupId = groupOf(db, annotationId);
      if (groupId) {
        const actor = ctx.annotator();
        tx(() => {
          removeMembership(db, annotationId);
          leaveGroup(groupId, annotationId, actor, now());
        });
        changed();
      }
      return { annotationId, groupId };
    },
    'groups.update': ({ id, canonical, note }: { id: string; canonical?: string; note?: string }): ApiOutput<'groups.update'> => {
      const before = requireGroup(id);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        updateGroup(db, id, { canonical, note }, at);
        if (canonical !== undefined && canonical !== before.canonical)
          addHistory(db, id, 'rename', { from: before.canonical, to: canonical }, actor, at);
        if (note !== undefined && note !== before.note) addHistory(db, id, 'note', { from: before.note, to: note }, actor, at);
      });
      changed();
      return requireGroup(id);
    },
    'groups.merge': ({ intoId, fromId }: { intoId: string; fromId: string }): ApiOutput<'groups.merge'> => {
      if (intoId === fromId) throw new ApiFailure('invalid_input', 'a group cannot be merged into itself');
      const into = requireGroup(intoId);
      const from = requireGroup(fromId);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        const moved = moveMembers(db, fromId, intoId);
        addHistory(db, intoId, 'merge', { from: fromId, fromCanonical: from.canonical, moved }, actor, at);
        addHistory(db, fromId, 'merge', { into: intoId, intoCanonical: into.canonical, moved }, actor, at);
        touchGroup(db, intoId, at);
        deleteGroup(db, fromId);
      });
      changed();
      return requireGroup(intoId);
    },
    'groups.delete': ({ id }: { id: string }): ApiOutput<'groups.delete'> => {
      const group = requireGroup(id);
      const actor = ctx.annotator();
      const at = now();
      const members = memberIds(db, id);
      tx(() => {
        addHistory(db, id, 'delete', { canonical: group.canonical, members }, actor, at);
        deleteGroup(db, id);
      });
      changed();
      return { id, ungrouped: members.length };
    },
    'groups.snapshot': ({ groupIds, annotationIds }: { groupIds: string[]; annotationIds: string[] }): ApiOutput<'groups.snapshot'> =>
      groupingSnapshot(db, groupIds, annotationIds),
    'groups.restore': (snapshot: GroupingSnapshot): ApiOutput<'groups.restore'> => {
      for (const g of snapshot.groups) {
        if (g.exists && (!g.canonical.trim() || Number.isNaN(Date.parse(g.createdAt))))
          throw new ApiFailure('invalid_input', `group ${g.id} needs a wording and a creation time to be put back`);
      }
      for (const m of snapshot.members)
        if (
          getAnnotation(db, m.annotationId) &&
          m.groupId !== null &&
          !snapshot.groups.some((g) => g.id === m.groupId && g.exists) &&
          !getGroup(db, m.groupId)
        )
          throw new ApiFailure('not_found', `no claim group with id ${m.groupId}`);
      const actor = ctx.annotator();
      tx(() => restoreGrouping(db, snapshot, actor, now()));
      changed();
      return groupingSnapshot(
        db,
        snapshot.groups.map((g) => g.id),
        snapshot.members.map((m) => m.annotationId),
      );
    },
    'groups.history': ({ id }: { id: string }): ApiOutput<'groups.history'> => groupHistory(db, id),
    'groups.suggest': ({ annotationId, limit }: { annotationId: string; limit?: number }): ApiOutput<'groups.suggest'> => {
      const claim = requireAnnotation(annotationId, CLAIM_LABEL);
      return similarClaims.suggest(db, claim, limit ?? 5);
    },
  };
}
