/**
 * Every export Claimdesk writes, as a stream of text chunks read from SQLite
 * row by row, so memory does not grow with the row count. Offsets are Unicode
 * code points (named `start`/`end`, or `*_codepoint` in CSV); JSON formats
 * also carry UTF-16 offsets, named `utf16_start`/`utf16_end`.
 */
import { stringify } from 'csv-stringify/sync';
import { OffsetIndex } from '../../shared/offsets.js';
import { ATTRIBUTION_LABELS, type AttributionKind, type ClaimRow } from '../../shared/schemas.js';
import type { Db } from '../store/database.js';
import { claimRows, outletName, type ClaimLayer } from '../store/claims.js';
import { claimInstancesByArticle } from '../store/claim-instances.js';
import {
  iterateArticlesForExport,
  iterateAnnotationsByArticle,
  linksByClaim,
  membershipsByAnnotation,
  groupsById,
} from '../store/export-queries.js';
import { allLinks } from '../store/links.js';
import { listGroups } from '../store/groups.js';

export const EXPORT_KINDS = ['claims', 'instances', 'annotations', 'w3c'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'csv' | 'json' | 'jsonl' | 'jsonld';

/** Which formats each kind comes in. */
export const FORMATS: Record<ExportKind, readonly ExportFormat[]> = {
  claims: ['csv', 'json'],
  instances: ['csv', 'json'],
  annotations: ['jsonl'],
  w3c: ['jsonld'],
};

export interface Export {
  fileName: string;
  mimeType: string;
  chunks: Iterable<string>;
  /** What the file holds and, where it cannot hold something, what and where to find it. */
  summary: string[];
}

/** What may stand before a formula and still let a spreadsheet read it as one: spaces, NBSP, U+3000, zero-width space, BOM. */
const LEAD = '[\\s\\u200B\\uFEFF]*';
/** Characters that start a formula, with their fullwidth forms (＝ ＋ － ＠), which some spreadsheets read the same. */
const FORMULA = '[=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20]';
const DANGEROUS_START = new RegExp(`^(?:[\\t\\r\\n]|${LEAD}${FORMULA})`, 'u');
const FORMULA_AFTER_SEMICOLON = new RegExp(`;(${LEAD})(?=${FORMULA})`, 'gu');

/**
 * A CSV cell made inert for spreadsheets: a value starting with `=`, `+`,
 * `-`, `@` (or their fullwidth forms, or any of them after leading spaces),
 * tab, CR or LF would be read as a formula (or hide one after a line break),
 * so it is prefixed with an apostrophe. A spreadsheet whose list separator is
 * `;` (German, French, Dutch locales) splits an unquoted `x;=1+1` into two
 * cells, so every part after a `;` gets the same treatment (and such cells
 * are quoted, see CSV_OPTIONS).
 */
export function neutralizeCell(value: string): string {
  const parts = value.replace(FORMULA_AFTER_SEMICOLON, ";$1'");
  return DANGEROUS_START.test(parts) ? `'${parts}` : parts;
}

type Cell = string | number | null | undefined;
const cellText = (c: Cell) => (c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : neutralizeCell(c));
// A cell with `;` is quoted too: spreadsheets in `;` locales would otherwise split it.
const CSV_OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\s";]/ } as const;

/** One RFC 4180 record (CRLF line ending), every cell neutralised. */
export function csvRecord(cells: readonly Cell[]): string {
  return stringify([cells.map(cellText)], CSV_OPTIONS);
}

/** Several records in one call (csv-stringify's per-call setup costs more than a short record). */
export function csvRecords(records: readonly (readonly Cell[])[]): string {
  return stringify(
    records.map((cells) => cells.map(cellText)),
    CSV_OPTIONS,
  );
}

const join = (xs: readonly string[]) => xs.join('; ');
const kindNames = (kinds: readonly AttributionKind[]) => kinds.map((k) => ATTRIBUTION_LABELS[k]);

/** The layers a claims export counts, as its rows and summary name them. */
export const layerName = (layer: ClaimLayer) => (layer === null ? 'all layers' : layer);

function* claimsCsv(rows: readonly ClaimRow[], bom: boolean, layer: ClaimLayer): Iterable<string> {
  if (bom) yield '\uFEFF';
  yield csvRecord([
    'group_id',
    'claim_id',
    'grouped',
    'canonical',
    'instances',
    'articles',
    'outlets',
    'sources',
    'source_entity_ids',
    'source_wordings',
    'attribution_kinds',
    'first_published',
    'last_published',
    'annotators',
    'note',
    'layers',
  ]);
  for (const r of rows) {
    const entities = r.sourceEntities;
    const wordings = entities.map((e) => `${e.name}: ${e.wordings.join(' | ')}`);
    yield csvRecord([
      r.groupId,
      r.claimId,
      r.groupId === null ? 'no' : 'yes',
      r.canonical,
      r.instanceCount,
      r.articleCount,
      join(r.outlets),
      join(r.sources),
      join(entities.map((e) => e.id)),
      join(wordings),
      join(kindNames(r.kinds)),
      r.firstPublished,
      r.lastPublished,
      join(r.annotators),
      r.note,
      layerName(layer),
    ]);
  }
}

function* claimsJson(rows: readonly ClaimRow[], now: string, layer: ClaimLayer): Iterable<string> {
  yield `{"format":"claimdesk-claims","version":3,"exported_at":${JSON.stringify(now)},"layers":${JSON.stringify(layer === null ? 'all' : [layer])},"claims":[`;
  let first = true;
  for (const r of rows) {
    yield `${first ? '' : ','}\n${JSON.stringify({
      group_id: r.groupId,
      claim_id: r.claimId,
      grouped: r.groupId !== null,
      canonical: r.canonical,
      instances: r.instanceCount,
      articles: r.articleCount,
      outlets: r.outlets,
      sources: r.sources,
      source_entities: r.sourceEntities,
      attribution_kinds: r.kinds,
      first_published: r.firstPublished,
      last_published: r.lastPublished,
      annotators: r.annotators,
      note: r.note,
      outlet_sources: r.outletSources,
    })}`;
    first = false;
  }
  yield '\n]}\n';
}

/** Claim instances in article order, with their sources (and UTF-16 offsets from one article's text at a time when asked). */
function* instanceRecords(db: Db, utf16: boolean, layer: ClaimLayer) {
  for (const { rows, sources, text } of claimInstancesByArticle(db, { withText: utf16 })) {
    const index = text === null ? null : new OffsetIndex(text);
    for (const r of rows)
      if (layer === null || r.annotator === layer)
        yield { r, sources: sources.get(r.id) ?? [], utf16Start: index?.toUtf16(r.start) ?? null, utf16End: index?.toUtf16(r.end) ?? null };
  }
}

function* instancesCsv(db: Db, bom: boolean, layer: ClaimLayer): Iterable<string> {
  if (bom) yield '\uFEFF';
  yield csvRecord([
    'annotation_id',
    'group_id',
    'group_canonical',
    'article_id',
    'article_title',
    'outlet',
    'published_at',
    'start_codepoint',
    'end_codepoint',
    'quote',
    'sources',
    'source_ids',
    'source_entities',
    'source_entity_ids',
    'attribution_kinds',
    'annotator',
    'note',
    'created_at',
  ]);
  let batch: Cell[][] = [];
  for (const { r, sources } of instanceRecords(db, false, layer)) {
    batch.push([
      r.id,
      r.group_id,
      r.canonical,
      r.article_id,
      r.title,
      r.outlet,
      r.published_at,
      r.start,
      r.end,
      r.quote,
      join(sources.map((s) => s.quote)),
      join(sources.map((s) => s.annotationId)),
      join(sources.map((s) => s.entityName ?? '')),
      join(sources.map((s) => s.entityId ?? '')),
      join(kindNames(sources.map((s) => s.kind))),
      r.annotator,
      r.note,
      r.created_at,
    ]);
    if (batch.length === 500) {
      yield csvRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield csvRecords(batch);
}

function* instancesJson(db: Db, now: string, layer: ClaimLayer): Iterable<string> {
  yield `{"format":"claimdesk-claim-instances","version":2,"offset_unit":"codepoint","exported_at":${JSON.stringify(now)},"instances":[`;
  let first = true;
  for (const { r, sources, utf16Start, utf16End } of instanceRecords(db, true, layer)) {
    yield `${first ? '' : ','}\n${JSON.stringify({
      annotation_id: r.id,
      group_id: r.group_id,
      group_canonical: r.canonical,
      article_id: r.article_id,
      article_title: r.title,
      outlet: r.outlet,
      published_at: r.published_at,
      start: r.start,
      end: r.end,
      utf16_start: utf16Start,
      utf16_end: utf16End,
      quote: r.quote,
      prefix: r.prefix,
      suffix: r.suffix,
      sources: sources.map((s) => ({
        annotation_id: s.annotationId,
        quote: s.quote,
        attribution_kind: s.kind,
        entity_id: s.entityId,
        entity_name: s.entityName,
      })),
      annotator: r.annotator,
      note: r.note,
      created_at: r.created_at,
    })}`;
    first = false;
  }
  yield '\n]}\n';
}

/** One JSON line per article: its text and every span (spaCy `spans` and doccano `label` styles), links and groups. */
function* annotationsJsonl(db: Db): Iterable<string> {
  const links = linksByClaim(db);
  const memberships = membershipsByAnnotation(db);
  const groups = groupsById(db);
  const spansOf = iterateAnnotationsByArticle(db);
  for (const a of iterateArticlesForExport(db)) {
    const index = new OffsetIndex(a.text);
    const spans = spansOf(a.id);
    yield `${JSON.stringify({
      id: a.id,
      content_hash: a.content_hash,
      title: a.title,
      outlet: a.outlet,
      url: a.url,
      published_at: a.published_at,
      file_name: a.file_name,
      offset_unit: 'codepoint',
      text: a.text,
      spans: spans.map((s) => ({
        id: s.id,
        start: s.start,
        end: s.end,
        utf16_start: index.toUtf16(s.start),
        utf16_end: index.toUtf16(s.end),
        label: s.label,
        quote: s.quote,
        annotator: s.annotator,
        note: s.note,
        created_at: s.created_at,
        updated_at: s.updated_at,
      })),
      label: spans.map((s) => [s.start, s.end, s.label]),
      links: spans.flatMap((s) =>
        (links.get(s.id) ?? []).map((l) => ({
          id: l.id,
          claim_id: l.claimId,
          source_id: l.sourceId,
          attribution_kind: l.kind,
          annotator: l.annotator,
        })),
      ),
      groups: spans.flatMap((s) => {
        const g = memberships.get(s.id);
        return g ? [{ annotation_id: s.id, group_id: g, canonical: groups.get(g)?.canonical ?? null }] : [];
      }),
    })}\n`;
  }
}

/** W3C Web Annotation JSON-LD: an AnnotationCollection of tags, attribution links and claim groups. */
function* w3cJsonLd(db: Db, now: string): Iterable<string> {
  const urn = (id: string) => `urn:uuid:${id}`;
  yield `{"@context":"http://www.w3.org/ns/anno.jsonld","id":${JSON.stringify(`urn:claimdesk:export:${now}`)},"type":"AnnotationCollection","label":"Claimdesk annotations","first":{"type":"AnnotationPage","startIndex":0,"items":[`;
  let first = true;
  const emit = (item: unknown) => {
    const s = `${first ? '' : ','}\n${JSON.stringify(item)}`;
    first = false;
    return s;
  };
  const spansOf = iterateAnnotationsByArticle(db);
  for (const a of iterateArticlesForExport(db)) {
    const source = a.url ?? `urn:claimdesk:article:sha256:${a.content_hash}`;
    for (const s of spansOf(a.id)) {
      const body: unknown[] = [{ type: 'TextualBody', purpose: 'classifying', value: s.label }];
      if (s.note) body.push({ type: 'TextualBody', purpose: 'commenting', value: s.note });
      yield emit({
        id: urn(s.id),
        type: 'Annotation',
        motivation: 'classifying',
        created: s.created_at,
        modified: s.updated_at,
        creator: { type: 'Person', name: s.annotator },
        body,
        target: {
          source,
          selector: [
            { type: 'TextQuoteSelector', exact: s.quote, prefix: s.prefix, suffix: s.suffix },
            { type: 'TextPositionSelector', start: s.start, end: s.end },
          ],
        },
      });
    }
  }
  for (const l of allLinks(db)) {
    yield emit({
      id: urn(l.id),
      type: 'Annotation',
      motivation: 'linking',
      created: l.createdAt,
      creator: { type: 'Person', name: l.annotator },
      body: [{ id: urn(l.sourceId) }, { type: 'TextualBody', purpose: 'describing', value: `attribution: ${ATTRIBUTION_LABELS[l.kind]}` }],
      target: urn(l.claimId),
    });
  }
  const members = membershipsByAnnotation(db);
  const byGroup = new Map<string, string[]>();
  for (const [annotation, group] of members) byGroup.set(group, [...(byGroup.get(group) ?? []), annotation]);
  for (const g of listGroups(db)) {
    yield emit({
      id: urn(g.id),
      type: 'Annotation',
      motivation: 'identifying',
      created: g.createdAt,
      modified: g.updatedAt,
      creator: { type: 'Person', name: g.createdBy },
      body: [
        { type: 'TextualBody', purpose: 'identifying', value: g.canonical },
        ...(g.note ? [{ type: 'TextualBody', purpose: 'commenting', value: g.note }] : []),
      ],
      target: (byGroup.get(g.id) ?? []).map(urn),
    });
  }
  yield '\n]}}\n';
}

/** How many rows of each kind a claims export holds (the table's counts, from the host's cache when it is current). */
function claimsSummary(rows: readonly ClaimRow[]): string[] {
  const groups = rows.filter((r) => r.groupId !== null).length;
  const ungrouped = rows.length - groups;
  return [
    `${groups} claim group${groups === 1 ? '' : 's'} and ${ungrouped} claim${ungrouped === 1 ? '' : 's'} in no group (grouped = no), one row each.`,
  ];
}

/** The export of `kind` in `format`; throws RangeError for a pair that does not exist. */
export function buildExport(
  db: Db,
  kind: ExportKind,
  format: ExportFormat,
  options: { bom?: boolean; now?: string; layer?: ClaimLayer } = {},
): Export {
  const layer = options.layer ?? null;
  const layerLine =
    layer === null
      ? 'Layers: all annotators’ claims (yours, colleagues’ and gold); a claim several layers hold is counted once, with each annotator listed.'
      : `Layer: only the claims tagged by ${layer}.`;
  const now = options.now ?? new Date().toISOString();
  if (!FORMATS[kind].includes(format)) throw new RangeError(`the ${kind} export comes as ${FORMATS[kind].join(' or ')}, not ${format}`);
  const stamp = now.slice(0, 10);
  const bom = options.bom ?? false;
  switch (kind) {
    case 'claims': {
      const rows = claimRows(db, layer);
      return {
        fileName: `claimdesk-claims-${stamp}.${format}`,
        mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
        chunks: format === 'csv' ? claimsCsv(rows, bom, layer) : claimsJson(rows, now, layer),
        summary: [
          ...claimsSummary(rows),
          layerLine,
          'Not in this table: each instance’s quote and offsets — see the instances export.',
          'Sources are named by their source entity where they are linked to one, with the quoted wordings beside it (source_wordings / source_entities).',
          ...(format === 'csv'
            ? ['Lists (outlets, sources, kinds, annotators) are joined with "; "; the per-outlet sources are only in the JSON.']
            : []),
        ],
      };
    }
    case 'instances':
      return {
        fileName: `claimdesk-claim-instances-${stamp}.${format}`,
        mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
        chunks: format === 'csv' ? instancesCsv(db, bom, layer) : instancesJson(db, now, layer),
        summary: [
          'One row per claim annotation (grouped or not), with its group, article, quote, offsets in Unicode code points, sources and attribution kinds.',
          layer === null
            ? 'Layers: all annotators’ claims, one row per annotation (the annotator column says whose; the same claim in two layers is two rows).'
            : layerLine,
          format === 'csv'
            ? 'Not in this file: UTF-16 offsets, quote context and opinion spans — see the JSON, the annotations JSONL or the W3C export.'
            : 'Not in this file: opinion spans and other labels — see the annotations JSONL or the W3C export.',
        ],
      };
    case 'annotations':
      return {
        fileName: `claimdesk-annotations-${stamp}.jsonl`,
        mimeType: 'application/x-ndjson',
        chunks: annotationsJsonl(db),
        summary: [
          'One article per line with its text, every span (code-point and UTF-16 offsets), source links and claim groups. Nothing is left out.',
        ],
      };
    case 'w3c':
      return {
        fileName: `claimdesk-w3c-${stamp}.jsonld`,
        mimeType: 'application/ld+json',
        chunks: w3cJsonLd(db, now),
        summary: [
          'W3C Web Annotation collection: one annotation per tag (TextQuoteSelector + TextPositionSelector in code points), one linking annotation per attribution, one identifying annotation per claim group.',
          'Not in this format: article texts and metadata other than the URL — see the annotations JSONL.',
        ],
      };
  }
}

export { outletName };
