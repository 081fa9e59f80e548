/**
 * Source entities: linking sources worded differently to the one person or
 * body they name, with history, undo snapshots and suggestions.
 */
import { randomUUID } from 'node:crypto';
import type { ApiOutput } from '../../shared/api.js';
import type { EntitySnapshot, SourceEntity } from '../../shared/entities.js';
import type { ApiEvent } from '../../shared/methods.js';
import { entityNameFrom, nameTokens } from '../../shared/source-names.js';
import type { Annotation } from '../../shared/schemas.js';
import { ApiFailure } from '../errors.js';
import { getAnnotation } from '../store/annotations.js';
import { SOURCE_LABEL } from '../store/claims.js';
import type { Db } from '../store/database.js';
import {
  addEntityHistory,
  deleteEntity,
  entityHistory,
  entityMemberIds,
  entityOf,
  entitySnapshot,
  getEntity,
  insertEntity,
  listEntities,
  moveEntityMembers,
  removeEntityMembership,
  renameEntity,
  restoreEntities,
  setEntityMembership,
  suggestEntities,
  touchEntity,
  wordingOf,
} from '../store/entities.js';

export interface EntitiesContext {
  db: Db;
  now: () => string;
  emit: (e: ApiEvent) => void;
  /** The current annotator; throws when none is set. */
  annotator: () => string;
}

/** The name a new entity takes from its sources: the one made from the wording that names most (titles aside). */
export function nameFromWordings(quotes: readonly string[]): string | null {
  let best: string | null = null;
  let bestTokens = -1;
  for (const q of quotes) {
    const name = entityNameFrom(q);
    const n = nameTokens(name).length;
    if (n > bestTokens || (n === bestTokens && best !== null && name.length > best.length)) {
      best = name;
      bestTokens = n;
    }
  }
  return best;
}

export function entityHandlers(ctx: EntitiesContext) {
  const { db, now, emit } = ctx;
  const tx = <T>(f: () => T): T => db.transaction(f)();
  const changed = () => emit({ name: 'claims.changed' });

  const requireSource = (id: string): Annotation => {
    const a = getAnnotation(db, id);
    if (!a) throw new ApiFailure('not_found', `no annotation with id ${id}`);
    if (a.label !== SOURCE_LABEL)
      throw new ApiFailure('invalid_input', `annotation ${id} is a ${a.label}, not a source: only sources are linked to a source entity`);
    return a;
  };
  const requireEntity = (id: string): SourceEntity => {
    const e = getEntity(db, id);
    if (!e) throw new ApiFailure('not_found', `no source entity with id ${id}`);
    return e;
  };

  /** Puts a source into an entity, recording it leaving its old one (which is kept, even empty, until deleted). */
  const join = (annotationId: string, entityId: string, actor: string, at: string) => {
    const previous = entityOf(db, annotationId);
    if (previous === entityId) return;
    setEntityMembership(db, annotationId, entityId, actor, at);
    addEntityHistory(db, entityId, 'add', { annotationId, from: previous }, actor, at);
    touchEntity(db, entityId, at);
    if (previous) {
      addEntityHistory(db, previous, 'remove', { annotationId, to: entityId }, actor, at);
      touchEntity(db, previous, at);
    }
  };

  return {
    'entities.list': (): ApiOutput<'entities.list'> => listEntities(db),
    'entities.create': ({
      id,
      name,
      annotationIds,
    }: {
      id?: string;
      name?: string;
      annotationIds: string[];
    }): ApiOutput<'entities.create'> => {
      const sources = annotationIds.map(requireSource);
      const chosen = name?.trim() || nameFromWordings(sources.map((s) => s.quote));
      if (!chosen) throw new ApiFailure('invalid_input', 'a new source entity needs a name or at least one source');
      const entityId = id ?? randomUUID();
      if (getEntity(db, entityId)) throw new ApiFailure('conflict', `a source entity with id ${entityId} already exists`);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        insertEntity(db, { id: entityId, name: chosen, createdBy: actor, at });
        addEntityHistory(db, entityId, 'create', { name: chosen }, actor, at);
        for (const s of sources) join(s.id, entityId, actor, at);
      });
      changed();
      return requireEntity(entityId);
    },
    'entities.link': ({ entityId, annotationIds }: { entityId: string; annotationIds: string[] }): ApiOutput<'entities.link'> => {
      requireEntity(entityId);
      const sources = annotationIds.map(requireSource);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        for (const s of sources) join(s.id, entityId, actor, at);
      });
      changed();
      return requireEntity(entityId);
    },
    'entities.unlink': ({ annotationId }: { annotationId: string }): ApiOutput<'entities.unlink'> => {
      if (!getAnnotation(db, annotationId)) throw new ApiFailure('not_found', `no annotation with id ${annotationId}`);
      const entityId = entityOf(db, annotationId);
      if (entityId) {
        const actor = ctx.annotator();
        const at = now();
        tx(() => {
          removeEntityMembership(db, annotationId);
          addEntityHistory(db, entityId, 'remove', { annotationId }, actor, at);
          touchEntity(db, entityId, at);
        });
        changed();
      }
      return { annotationId, entityId };
    },
    'entities.rename': ({ id, name }: { id: string; name: string }): ApiOutput<'entities.rename'> => {
      const before = requireEntity(id);
      if (before.name !== name) {
        const actor = ctx.annotator();
        const at = now();
        tx(() => {
          renameEntity(db, id, name, at);
          addEntityHistory(db, id, 'rename', { from: before.name, to: name }, actor, at);
        });
        changed();
      }
      return requireEntity(id);
    },
    'entities.merge': ({ intoId, fromId }: { intoId: string; fromId: string }): ApiOutput<'entities.merge'> => {
      if (intoId === fromId) throw new ApiFailure('invalid_input', 'a source entity cannot be merged into itself');
      const into = requireEntity(intoId);
      const from = requireEntity(fromId);
      const actor = ctx.annotator();
      const at = now();
      tx(() => {
        const members = entityMemberIds(db, fromId);
        const moved = moveEntityMembers(db, fromId, intoId);
        addEntityHistory(db, intoId, 'merge', { from: fromId, fromName: from.name, moved, members }, actor, at);
        addEntityHistory(db, fromId, 'merge', { into: intoId, intoName: into.name, moved, members }, actor, at);
        touchEntity(db, intoId, at);
        deleteEntity(db, fromId);
      });
      changed();
      return requireEntity(intoId);
    },
    'entities.delete': ({ id }: { id: string }): ApiOutput<'entities.delete'> => {
      const entity = requireEntity(id);
      const members = entityMemberIds(db, id);
      const actor = ctx.annotator();
      tx(() => {
        addEntityHistory(db, id, 'delete', { name: entity.name, members }, actor, now());
        deleteEntity(db, id);
      });
      changed();
      return { id, unlinked: members.length };
    },
    'entities.snapshot': ({ entityIds, annotationIds }: { entityIds: string[]; annotationIds: string[] }): ApiOutput<'entities.snapshot'> =>
      entitySnapshot(db, entityIds, annotationIds),
    'entities.restore': (snapshot: EntitySnapshot): ApiOutput<'entities.restore'> => {
      for (const e of snapshot.entities) {
        if (e.exists && (!e.name.trim() || Number.isNaN(Date.parse(e.createdAt))))
          throw new ApiFailure('invalid_input', `source entity ${e.id} needs a name and a creation time to be put back`);
      }
      for (const m of snapshot.members) {
        const a = getAnnotation(db, m.annotationId);
        if (!a || m.entityId === null) continue;
        if (a.label !== SOURCE_LABEL)
          throw new ApiFailure(
            'invalid_input',
            `annotation ${a.id} is a ${a.label}, not a source: only sources are linked to a source entity`,
          );
        if (!snapshot.entities.some((e) => e.id === m.entityId && e.exists) && !getEntity(db, m.entityId))
          throw new ApiFailure('not_found', `no source entity with id ${m.entityId}`);
      }
      const actor = ctx.annotator();
      tx(() => restoreEntities(db, snapshot, actor, now()));
      changed();
      return entitySnapshot(
        db,
        snapshot.entities.map((e) => e.id),
        snapshot.members.map((m) => m.annotationId),
      );
    },
    'entities.history': ({ id }: { id: string }): ApiOutput<'entities.history'> => entityHistory(db, id),
    'entities.suggest': ({ annotationId, limit }: { annotationId: string; limit?: number }): ApiOutput<'entities.suggest'> => {
      const source = requireSource(annotationId);
      return suggestEntities(db, { id: source.id, quote: wordingOf(source.quote) }, limit ?? 5);
    },
  };
}
