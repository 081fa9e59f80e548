/** Types of the review API: items of the review queue and the agreement report. */
import type { PRF } from './agreement.js';
import type { Annotation } from './schemas.js';

export type ItemKind = 'agreed' | 'label' | 'boundary' | 'only_a' | 'only_b';
export type Decision = 'accept_a' | 'accept_b' | 'accept_both' | 'reject' | 'edit';
export const DECISIONS: readonly Decision[] = ['accept_a', 'accept_b', 'accept_both', 'reject', 'edit'];

export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  agreed: 'agreed',
  label: 'label conflict',
  boundary: 'boundary conflict',
  only_a: 'only A',
  only_b: 'only B',
};

/** The key of a review item whatever the A/B order: the article, then the two tags' ids sorted ('-' for a side without a tag). */
export function pairItemKey(articleId: number, idA: string | null, idB: string | null): string {
  return `${articleId}:${[idA ?? '-', idB ?? '-'].sort().join(':')}`;
}

export interface ReviewItem {
  key: string;
  articleId: number;
  kind: ItemKind;
  a: Annotation | null;
  b: Annotation | null;
  decision: { decision: Decision; reason: string; reviewer: string; at: string } | null;
}

export interface AgreementFigures {
  cohen: number | null;
  alpha: number | null;
  spanExact: PRF;
  spanOverlap: PRF;
}

export interface AgreementReport {
  a: string;
  b: string;
  articles: { id: number; title: string; tokens: number; cohen: number | null; alpha: number | null; spanOverlapF1: number | null }[];
  tokens: number;
  overall: AgreementFigures & { fleiss: number | null; fleissAnnotators: string[] };
  perLabel: ({ label: string } & AgreementFigures)[];
  grouping: { precision: number | null; recall: number | null; f1: number | null; items: number };
  explanations: Record<'cohen' | 'fleiss' | 'alpha' | 'spanExact' | 'spanOverlap' | 'grouping', string>;
}
