import { ApiFailure } from '../errors.js';

/** The annotator the review decisions write as: their layer changes only through Review. */
const GOLD = 'gold';

/**
 * Refuses a change to something (`what`: "annotation 1a2b…", "link …") in a
 * layer that is not the local analyst's: a colleague's layer is their work and
 * the data agreement is computed from, and gold is written only by review
 * decisions. `action` says what was refused ("relabelled", "deleted", …).
 */
export function requireOwnLayer(me: string | null, owner: string, what: string, action: string): void {
  if (me !== null && owner === me) return;
  const whose =
    owner === GOLD
      ? 'in the gold layer, which only review decisions write'
      : `${JSON.stringify(owner.slice(0, 80))}’s, and a colleague’s layer is read-only`;
  throw new ApiFailure('forbidden', `${what} is ${whose}: it cannot be ${action}. Copy the tag into your own layer to change it.`);
}
