/** API handlers for review: queue, decisions, agreement, and their exports. */
import type { ApiOutput } from '../../shared/api.js';
import type { ApiEvent } from '../../shared/methods.js';
import type { AgreementReport, Decision } from '../../shared/review.js';
import { ApiFailure } from '../errors.js';
import { csvRecord } from '../export/exporters.js';
import type { Db } from '../store/database.js';
import { agreementReport } from '../review/agreement.js';
import { adjudicationLog, decide, openAgreedItems, reviewQueue } from '../review/review.js';
import { reviewQueuePage } from '../review/queue-page.js';

export interface ReviewContext {
  db: Db;
  now: () => string;
  emit: (e: ApiEvent) => void;
  annotator: () => string;
}

type Scope = { a: string; b: string; articleIds?: number[] };

const fmt = (n: number | null) => (n === null ? '' : n.toFixed(4));

/** The agreement report as CSV: one row per scope (overall, each label, each article). */
export function agreementCsv(r: AgreementReport): string {
  let out = csvRecord([
    'scope',
    'tokens',
    'cohen_kappa',
    'krippendorff_alpha',
    'fleiss_kappa',
    'span_exact_precision',
    'span_exact_recall',
    'span_exact_f1',
    'span_overlap_precision',
    'span_overlap_recall',
    'span_overlap_f1',
    'grouping_bcubed_f1',
  ]);
  const o = r.overall;
  out += csvRecord([
    'overall',
    r.tokens,
    fmt(o.cohen),
    fmt(o.alpha),
    fmt(o.fleiss),
    fmt(o.spanExact.precision),
    fmt(o.spanExact.recall),
    fmt(o.spanExact.f1),
    fmt(o.spanOverlap.precision),
    fmt(o.spanOverlap.recall),
    fmt(o.spanOverlap.f1),
    fmt(r.grouping.f1),
  ]);
  for (const l of r.perLabel) {
    out += csvRecord([
      `label:${l.label}`,
      r.tokens,
      fmt(l.cohen),
      fmt(l.alpha),
      '',
      fmt(l.spanExact.precision),
      fmt(l.spanExact.recall),
      fmt(l.spanExact.f1),
      fmt(l.spanOverlap.precision),
      fmt(l.spanOverlap.recall),
      fmt(l.spanOverlap.f1),
      '',
    ]);
  }
  for (const a of r.articles)
    out += csvRecord([
      `article:${a.id} ${a.title}`,
      a.tokens,
      fmt(a.cohen),
      fmt(a.alpha),
      '',
      '',
      '',
      '',
      '',
      '',
      fmt(a.spanOverlapF1),
      '',
    ]);
  return out;
}

export function reviewHandlers(ctx: ReviewContext) {
  const { db, now, emit } = ctx;
  const stamp = () => now().slice(0, 10);
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof RangeError) throw new ApiFailure('invalid_input', err.message);
      throw err;
    }
  };
  return {
    'review.queue': ({ a, b, articleIds }: Scope): ApiOutput<'review.queue'> => reviewQueue(db, a, b, articleIds),
    'review.queuePage': ({
      a,
      b,
      articleIds,
      after,
      limit,
      disagreementsOnly,
    }: Scope & { after?: number; limit: number; disagreementsOnly?: boolean }): ApiOutput<'review.queuePage'> =>
      reviewQueuePage(
        db,
        { a, b, ...(articleIds ? { articleIds } : {}) },
        { ...(after === undefined ? {} : { after }), limit, ...(disagreementsOnly === undefined ? {} : { disagreementsOnly }) },
      ),
    'review.decide': (input: {
      a: string;
      b: string;
      itemKey: string;
      decision: Decision;
      reason?: string;
      edit?: { start: number; end: number; label: string };
    }): ApiOutput<'review.decide'> => {
      const reviewer = ctx.annotator();
      const item = guard(() => decide(db, input, reviewer, now()));
      emit({ name: 'annotations.changed', articleId: item.articleId });
      emit({ name: 'claims.changed' });
      return item;
    },
    'review.acceptAgreed': ({ a, b, articleIds }: Scope): ApiOutput<'review.acceptAgreed'> => {
      const reviewer = ctx.annotator();
      // Article by article: the items of one article in memory at a time.
      let accepted = 0;
      for (const i of openAgreedItems(db, a, b, articleIds)) {
        decide(db, { a, b, itemKey: i.key, decision: 'accept_a', reason: 'agreed' }, reviewer, now());
        accepted++;
      }
      if (accepted) emit({ name: 'annotations.changed' });
      return { accepted };
    },
    'review.openAgreed': ({ a, b, articleIds }: Scope): ApiOutput<'review.openAgreed'> => {
      let open = 0;
      for (const item of openAgreedItems(db, a, b, articleIds)) if (item) open++;
      return { open };
    },
    'review.agreement': ({ a, b, articleIds }: Scope): ApiOutput<'review.agreement'> => agreementReport(db, a, b, articleIds),
    'review.exportLog': ({ format }: { format: 'csv' | 'json' }): ApiOutput<'review.exportLog'> => {
      const log = adjudicationLog(db).map((r) => ({ ...r, gold_ids: JSON.parse(r.gold_ids) as string[] }));
      if (format === 'json')
        return {
          fileName: `claimdesk-adjudication-log-${stamp()}.json`,
          content: `${JSON.stringify({ format: 'claimdesk-adjudication-log', version: 1, decisions: log }, null, 1)}\n`,
        };
      let content = csvRecord([
        'id',
        'at',
        'reviewer',
        'article_id',
        'item_key',
        'kind',
        'annotator_a',
        'annotator_b',
        'a_id',
        'b_id',
        'decision',
        'reason',
        'gold_ids',
      ]);
      for (const r of log)
        content += csvRecord([
          r.id,
          r.at,
          r.reviewer,
          r.article_id,
          r.item_key,
          r.kind,
          r.annotator_a,
          r.annotator_b,
          r.a_id,
          r.b_id,
          r.decision,
          r.reason,
          r.gold_ids.join('; '),
        ]);
      return { fileName: `claimdesk-adjudication-log-${stamp()}.csv`, content };
    },
    'review.exportAgreement': ({ a, b, articleIds, format }: Scope & { format: 'csv' | 'json' }): ApiOutput<'review.exportAgreement'> => {
      const r = agreementReport(db, a, b, articleIds);
      return format === 'json'
        ? { fileName: `claimdesk-agreement-${stamp()}.json`, content: `${JSON.stringify(r, null, 1)}\n` }
        : { fileName: `claimdesk-agreement-${stamp()}.csv`, content: agreementCsv(r) };
    },
  };
}
