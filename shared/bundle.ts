/**
 * The annotation bundle: how colleagues exchange their work as files. JSON,
 * versioned; ids are stable UUIDs so bundles merge deterministically; articles
 * are identified by the SHA-256 of their canonical text.
 */
import { z } from 'zod';
import { ATTRIBUTION_KINDS } from './schemas.js';

export const BUNDLE_FORMAT = 'claimdesk-bundle';
export const BUNDLE_VERSION = 1;

const uuid = z.uuid();
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 hex digits (SHA-256)');
const iso = z.string().max(40);
const cp = z.number().int().min(0);

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exported_at: iso,
  annotator: z.string().min(1).max(80),
  offset_unit: z.literal('codepoint'),
  labels: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
      name: z.string().max(40),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
      shortcut: z.string().max(1),
      description: z.string().max(500),
    }),
  ),
  articles: z.array(
    z.object({
      content_hash: hash,
      title: z.string().max(500),
      outlet: z.string().max(200).nullable(),
      url: z.string().max(2000).nullable(),
      published_at: z.string().max(40).nullable(),
      file_name: z.string().max(1000).nullable(),
      /** Since Claimdesk 0.1 bundles carry the byline; older ones do not. */
      byline: z.string().max(500).nullable().optional(),
      /** The canonical text; optional (then the article must already be in the library). */
      text: z.string().optional(),
    }),
  ),
  annotations: z.array(
    z.object({
      id: uuid,
      article: hash,
      start: cp,
      end: cp,
      quote: z.string(),
      prefix: z.string(),
      suffix: z.string(),
      label: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
      annotator: z.string().min(1).max(80),
      note: z.string().max(10_000),
      created_at: iso,
      updated_at: iso,
    }),
  ),
  links: z.array(
    z.object({
      id: uuid,
      claim_id: uuid,
      source_id: uuid,
      kind: z.enum(ATTRIBUTION_KINDS),
      annotator: z.string().min(1).max(80),
      created_at: iso,
    }),
  ),
  /** Source entities holding the annotator's sources (absent from bundles made before schema 14). */
  source_entities: z
    .array(
      z.object({
        id: uuid,
        name: z.string().min(1).max(300),
        created_by: z.string().max(80),
        created_at: iso,
        updated_at: iso,
        members: z.array(uuid),
      }),
    )
    .optional(),
  groups: z.array(
    z.object({
      id: uuid,
      canonical: z.string().max(2000),
      note: z.string().max(10_000),
      created_by: z.string().max(80),
      created_at: iso,
      updated_at: iso,
      members: z.array(uuid),
    }),
  ),
});
export type Bundle = z.infer<typeof bundleSchema>;

/** What importing a bundle did, item by item. */
export const bundleReportSchema = z.object({
  annotator: z.string(),
  articlesMatched: z.number().int(),
  articlesAdded: z.number().int(),
  annotationsAdded: z.number().int(),
  annotationsAlreadyPresent: z.number().int(),
  reanchored: z.array(z.object({ id: z.string(), quote: z.string(), method: z.enum(['exact', 'fuzzy']), score: z.number() })),
  unanchored: z.array(z.object({ id: z.string(), quote: z.string(), article: z.string(), reason: z.string() })),
  linksAdded: z.number().int(),
  groupsAdded: z.number().int(),
  membersAdded: z.number().int(),
  /** Source entities made, and sources linked to an entity. */
  entitiesAdded: z.number().int().optional(),
  entityMembersAdded: z.number().int().optional(),
  labelsAdded: z.array(z.string()),
  /** Labels this library had never changed nor used, which took the bundle's name, colour and description. */
  labelsAdopted: z.array(z.string()).optional(),
  /** Annotations not imported because their id clashes (twice in the bundle, or already used here by another annotation). */
  conflicts: z.array(z.object({ id: z.string(), reason: z.string() })).optional(),
  /** Annotator names reserved here ("gold", this library's analyst) and the names their work was stored under instead. */
  reattributed: z.array(z.object({ from: z.string(), to: z.string(), annotations: z.number().int() })).optional(),
});
export type BundleReport = z.infer<typeof bundleReportSchema>;
