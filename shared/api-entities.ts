/** The source-entity methods of the API contract (see shared/api.ts). */
import { z } from 'zod';
import { entityHistorySchema, entityId, entityName, entitySnapshotSchema, entitySuggestionSchema, sourceEntitySchema } from './entities.js';

const annotationId = z.uuid();
const sourceIds = z.array(annotationId).max(10_000);

export const entityContract = {
  'entities.list': { input: z.object({}).strict(), output: z.array(sourceEntitySchema) },
  /** A new entity holding these sources (moved out of any other entity); without a name, one made from their wordings. */
  'entities.create': {
    input: z.object({ id: entityId.optional(), name: entityName.optional(), annotationIds: sourceIds }).strict(),
    output: sourceEntitySchema,
  },
  /** Puts sources into an entity (out of any other: a source is in one entity at most). */
  'entities.link': { input: z.object({ entityId, annotationIds: sourceIds.min(1) }).strict(), output: sourceEntitySchema },
  /** Takes a source out of its entity (the entity is kept). */
  'entities.unlink': { input: z.object({ annotationId }).strict(), output: z.object({ annotationId, entityId: entityId.nullable() }) },
  'entities.rename': { input: z.object({ id: entityId, name: entityName }).strict(), output: sourceEntitySchema },
  /** Moves every source of `fromId` into `intoId` and removes `fromId` (its name stays in the history). */
  'entities.merge': { input: z.object({ intoId: entityId, fromId: entityId }).strict(), output: sourceEntitySchema },
  /** Deletes an entity; its sources are in none afterwards. */
  'entities.delete': { input: z.object({ id: entityId }).strict(), output: z.object({ id: entityId, unlinked: z.number().int() }) },
  /** The entity state of these entities and sources (and the entities the sources are in), for undo. */
  'entities.snapshot': {
    input: z.object({ entityIds: z.array(entityId).max(1000), annotationIds: sourceIds }).strict(),
    output: entitySnapshotSchema,
  },
  /** Puts a snapshot back (undo/redo of link, unlink, merge, rename, delete); returns the state it left. */
  'entities.restore': { input: entitySnapshotSchema, output: entitySnapshotSchema },
  'entities.history': { input: z.object({ id: entityId }).strict(), output: z.array(entityHistorySchema) },
  /** Entities and wordings of sources in no entity most like this source's wording. */
  'entities.suggest': {
    input: z.object({ annotationId, limit: z.number().int().min(1).max(50).optional() }).strict(),
    output: z.array(entitySuggestionSchema),
  },
} as const;
