/** How the claims table sorts, shared so the host's first page and the renderer's full table agree row for row. */
import type { ClaimRow } from './schemas.js';

export type ClaimSortKey = 'canonical' | 'articles' | 'instances' | 'outlets' | 'sources' | 'first' | 'last';

export interface ClaimSort {
  key: ClaimSortKey;
  desc: boolean;
}

/** The order the table opens in: claims carried by the most articles first. */
export const DEFAULT_CLAIM_SORT: ClaimSort = { key: 'articles', desc: true };

function value(r: ClaimRow, k: ClaimSortKey): string | number {
  switch (k) {
    case 'canonical':
      return r.canonical.toLocaleLowerCase();
    case 'articles':
      return r.articleCount;
    case 'instances':
      return r.instanceCount;
    case 'outlets':
      return r.outlets.length;
    case 'sources':
      return r.sources.length;
    case 'first':
      return r.firstPublished ?? '';
    case 'last':
      return r.lastPublished ?? '';
  }
}

/** A comparator for the sort; ties fall back to the claim's wording, then its id, so the order is total. */
export function compareClaimRows(sort: ClaimSort): (a: ClaimRow, b: ClaimRow) => number {
  const dir = sort.desc ? -1 : 1;
  return (a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || a.canonical.localeCompare(b.canonical) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  };
}
