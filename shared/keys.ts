import { z } from 'zod';

/**
 * The single keys the app gives a meaning of its own (article view and review
 * queue). A label's shortcut may be none of them: `a` as a label key would
 * relabel a claim instead of attributing it.
 */
export const COMMAND_KEYS: Readonly<Record<string, string>> = {
  a: 'attribute (article) and accept A (review)',
  b: 'accept B (review)',
  c: 'copy a colleague’s tag into your layer (article)',
  e: 'edit the gold span (review)',
  g: 'put a claim in a group (article)',
  j: 'next tag (article)',
  k: 'previous tag (article)',
  n: 'next item (review)',
  o: 'accept both (review)',
  p: 'previous item (review)',
  r: 'reject (review)',
  y: 'accept the first suggestion (article)',
  '/': 'type a reason (review)',
};

/** Why `key` cannot be a label's shortcut, or null when it can. */
export function shortcutProblem(key: string): string | null {
  const command = COMMAND_KEYS[key];
  return command === undefined ? null : `the key ${key} is a command key: ${command}`;
}

/** A label's shortcut as the API takes it: one digit or lowercase letter that is not a command key. */
export const labelShortcut = z
  .string()
  .regex(/^[0-9a-z]$/, 'a shortcut is one digit or lowercase letter')
  .superRefine((key, ctx) => {
    const problem = shortcutProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
