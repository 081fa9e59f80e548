/**
 * Source entities: the person or body behind sources worded differently
 * ("Rubio", "U.S. Secretary of State Marco Rubio"). Each source annotation
 * is in at most one entity; the claims table and the exports name the entity.
 */
import { z } from 'zod';

export const entityId = z.uuid();
const annotationId = z.uuid();
const isoDate = z.string().max(40);

export const entityName = z.string().trim().min(1, 'the name is empty').max(300);

export const sourceEntitySchema = z.object({
  id: entityId,
  name: z.string(),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  /** Source annotations in it (any label now: a member relabelled away still counts here, not in the claims table). */
  memberCount: z.number().int(),
  /** Its members' distinct wordings (spacing collapsed), most used first, at most 10. */
  wordings: z.array(z.string()),
});
export type SourceEntity = z.infer<typeof sourceEntitySchema>;

/** The entity state of some entities and sources, which undo and redo put back (see `entities.restore`). */
export const entitySnapshotSchema = z.object({
  entities: z
    .array(
      z
        .object({
          id: entityId,
          exists: z.boolean(),
          name: z.string().max(300),
          createdBy: z.string().max(200),
          createdAt: z.string().max(40),
        })
        .strict(),
    )
    .max(1000),
  members: z.array(z.object({ annotationId, entityId: entityId.nullable() }).strict()).max(100_000),
});
export type EntitySnapshot = z.infer<typeof entitySnapshotSchema>;

/** A source's entity, as the article view shows it. */
export const entityMembershipSchema = z.object({ annotationId, entityId, name: z.string() });
export type EntityMembership = z.infer<typeof entityMembershipSchema>;

export const entitySuggestionSchema = z.object({
  /** An entity to join, or sources with the same wording (in no entity) to bring together with this one. */
  kind: z.enum(['entity', 'wording']),
  /** The entity's id; for a wording, the first of its sources. */
  id: z.string(),
  /** The entity's name, or the wording. */
  text: z.string(),
  /** For a wording: its sources in no entity (the selected one aside); for an entity: its members. */
  annotationIds: z.array(annotationId),
  /** Name similarity in 0..1 (see shared/source-names.ts). */
  score: z.number(),
});
export type EntitySuggestion = z.infer<typeof entitySuggestionSchema>;

export const entityHistorySchema = z.object({
  id: z.number().int(),
  entityId: z.string(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  actor: z.string(),
  at: isoDate,
});
export type EntityHistoryEntry = z.infer<typeof entityHistorySchema>;
