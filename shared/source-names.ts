/**
 * How alike two wordings of a source are ("Rubio", "U.S. Secretary of State
 * Marco Rubio", "The US Secretary of State Marco Rubio"), for suggesting
 * which sources name the same person or body. Pure and local.
 *
 * Wordings of one source differ by titles, roles and articles, rarely by the
 * name itself, and the short form is usually the surname. So:
 *  - a wording's name tokens are its words without articles, function words,
 *    titles and roles ("secretary", "president", "u.s.") or possessive 's;
 *  - the last name token (the surname, or the head of "the Kremlin") weighs
 *    double: "Marco Polo" shares less with "Marco Rubio" than "Rubio" does;
 *  - the score is mostly how much of the shorter name the longer one holds
 *    (overlap coefficient), so "Rubio" fully matches "Marco Rubio", plus a
 *    little of the weighted Jaccard index, so closer wordings rank first;
 *  - tokens also meet as spelling variants when one is a prefix of the other
 *    differing by at most two letters ("Zelensky", "Zelenskyy").
 * When titles are all a wording has ("the Secretary of State"), its titles
 * are its tokens, so such wordings can still meet each other.
 */

const FUNCTION_WORDS = new Set(
  'a an the of and or to for in on at by from with de del der la le van von al el da dos das du des s'.split(' '),
);

/** Titles and roles that come before or around names; they say what someone is, not who. */
const TITLES = new Set(
  (
    'mr mrs ms miss dr prof sir dame lord lady president vice prime minister ministers secretary secretaries state foreign defence defense interior ' +
    'chancellor premier king queen prince princess pope chairman chairwoman chair ceo cfo director general gen adm admiral colonel col major maj captain capt ' +
    'lieutenant lt sgt sergeant senator sen representative rep congressman congresswoman governor gov mayor ambassador envoy special spokesman spokeswoman ' +
    'spokesperson press official officials senior deputy former acting chief head leader leaders judge justice attorney commissioner minister-president ' +
    'us u.s usa uk u.k eu un nato american british french german russian ukrainian european chinese israeli iranian turkish polish italian spanish ' +
    'his her their its'
  ).split(' '),
);

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** The words of a wording as written (letters and digits; "U.S." stays one word). */
function words(wording: string): string[] {
  return wording
    .replace(/[’ʼ']s\b/gu, '')
    .split(/[^\p{L}\p{N}.'’ʼ-]+/u)
    .map((w) => w.replace(/^[.'’ʼ-]+|[.'’ʼ-]+$/gu, ''))
    .filter((w) => w.length > 0);
}

const isTitle = (folded: string) => TITLES.has(folded) || TITLES.has(folded.replace(/\./g, ''));

/** The name tokens of a wording (folded), the last one being the head (see the module comment). */
export function nameTokens(wording: string): string[] {
  const all = words(wording).map(fold);
  const names = all.filter((w) => !FUNCTION_WORDS.has(w) && !isTitle(w));
  if (names.length > 0) return names;
  return all.filter((w) => !FUNCTION_WORDS.has(w)).map((w) => w.replace(/\./g, ''));
}

/** Whether two name tokens are the same name, spelling variants included. */
function sameToken(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.length - short.length <= 2 && long.startsWith(short);
}

/** A wording prepared for scoring: its tokens with their weights. */
export interface NameKey {
  tokens: readonly string[];
  weights: readonly number[];
  total: number;
}

export function nameKey(wording: string): NameKey {
  const tokens = [...new Set(nameTokens(wording))];
  const head = nameTokens(wording).at(-1);
  const weights = tokens.map((t) => (t === head ? 2 : 1));
  return { tokens, weights, total: weights.reduce((s, w) => s + w, 0) };
}

/** How alike two prepared wordings are, from 0 (no name in common) to 1 (the same name tokens). */
export function nameScore(a: NameKey, b: NameKey): number {
  if (a.total === 0 || b.total === 0) return 0;
  let shared = 0;
  const used = new Set<number>();
  a.tokens.forEach((t, i) => {
    const j = b.tokens.findIndex((u, k) => !used.has(k) && sameToken(t, u));
    if (j < 0) return;
    used.add(j);
    shared += Math.min(a.weights[i] as number, b.weights[j] as number);
  });
  if (shared === 0) return 0;
  const overlap = shared / Math.min(a.total, b.total);
  const jaccard = shared / (a.total + b.total - shared);
  return Math.round((0.75 * overlap + 0.25 * jaccard) * 1000) / 1000;
}

/** `nameScore` of two wordings. */
export function nameSimilarity(a: string, b: string): number {
  return nameScore(nameKey(a), nameKey(b));
}

const capitalised = (w: string) => /^\p{Lu}/u.test(w);

/**
 * A name for an entity made from a source's wording: the run of capitalised
 * name words that ends it, titles and articles before it dropped ("U.S.
 * Secretary of State Marco Rubio" → "Marco Rubio"); a wording that does not
 * end in a name ("a senior White House official") is kept as it is.
 */
export function entityNameFrom(wording: string): string {
  const clean = wording.replace(/\s+/g, ' ').trim();
  const ws = clean.split(' ');
  let start = ws.length;
  while (start > 0) {
    const w = ws[start - 1] as string;
    const bare = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!capitalised(bare) || isTitle(fold(bare)) || FUNCTION_WORDS.has(fold(bare))) break;
    start--;
  }
  if (start === ws.length) return clean;
  // Only titles, articles and other capitalised words before the name: "The US Secretary of State Marco Rubio".
  const before = ws.slice(0, start).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
  if (!before.every((w) => w === '' || isTitle(fold(w)) || FUNCTION_WORDS.has(fold(w)))) return clean;
  return ws
    .slice(start)
    .join(' ')
    .replace(/[,;:.]+$/, '');
}
