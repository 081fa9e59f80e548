import { describe, expect, it } from 'vitest';
import {
  bCubed,
  cohensKappa,
  fleissKappa,
  krippendorffAlpha,
  spanAgreement,
  tokenCodings,
  tokenBounds,
  tokenize,
  type Coding,
} from './agreement.js';

// Three coders' categories for 20 items. The reference values below were
// computed independently with NLTK 3.8 (Debian python3-nltk):
//   from nltk.metrics.agreement import AnnotationTask
//   AnnotationTask(data=[(coder, str(i), v) ...]).kappa() / .alpha() / .pi()
const A =
  'none none claim claim claim none source source none opinion opinion none claim none none claim+opinion none source none none'.split(' ');
const B = 'none none claim claim none none source none none opinion claim none claim none none claim none source source none'.split(' ');
const C =
  'none claim claim claim claim none source source none none opinion none none none none claim+opinion none source none opinion'.split(' ');
const codings = (seqs: Record<string, string[]>): Coding[] =>
  Object.entries(seqs).flatMap(([coder, seq]) => seq.map((category, i) => ({ item: String(i), coder, category })));

describe('agreement against NLTK reference values', () => {
  it("Cohen's kappa equals NLTK AnnotationTask.kappa() for two coders", () => {
    expect(cohensKappa(codings({ A, B }), 'A', 'B')).toBeCloseTo(0.6138996138996139, 12);
  });

  it("Krippendorff's alpha (nominal) equals NLTK AnnotationTask.alpha()", () => {
    expect(krippendorffAlpha(codings({ A, B }))).toBeCloseTo(0.622093023255814, 12);
    expect(krippendorffAlpha(codings({ A, B, C }))).toBeCloseTo(0.55, 12);
  });

  it("Fleiss' kappa equals NLTK AnnotationTask.pi() (multi-π, Siegel & Castellan's K) for three coders", () => {
    expect(fleissKappa(codings({ A, B, C }), ['A', 'B', 'C'])).toBeCloseTo(0.5423728813559323, 12);
  });

  it('is 1 for perfect agreement and undefined when nothing varies', () => {
    expect(cohensKappa(codings({ A, B: A }), 'A', 'B')).toBeCloseTo(1, 12);
    expect(cohensKappa(codings({ A: ['none', 'none'], B: ['none', 'none'] }), 'A', 'B')).toBeNull();
  });
});

describe('token codings', () => {
  it('codes every word token, untagged ones as none, overlapping labels joined', () => {
    const text = 'Rubio 😀 said: peace first.';
    expect(tokenize(text)).toEqual([
      { start: 0, end: 5 },
      { start: 8, end: 12 },
      { start: 14, end: 19 },
      { start: 20, end: 25 },
    ]);
    const out = tokenCodings('a1', text, {
      A: [
        { start: 0, end: 5, label: 'source' },
        { start: 14, end: 25, label: 'claim' },
        { start: 20, end: 25, label: 'opinion' },
      ],
      B: [],
    });
    expect(out.filter((c) => c.coder === 'A').map((c) => c.category)).toEqual(['source', 'none', 'claim', 'claim+opinion']);
    expect(out.filter((c) => c.coder === 'B').map((c) => c.category)).toEqual(['none', 'none', 'none', 'none']);
    expect(
      tokenCodings(
        'a1',
        text,
        {
          A: [
            { start: 14, end: 25, label: 'claim' },
            { start: 20, end: 25, label: 'opinion' },
          ],
        },
        'opinion',
      ).map((c) => c.category),
    ).toEqual(['none', 'none', 'none', 'opinion']);
  });
});

describe('span agreement', () => {
  const a = [
    { start: 0, end: 10, label: 'claim' },
    { start: 20, end: 30, label: 'source' },
    { start: 40, end: 50, label: 'claim' },
  ];
  const b = [
    { start: 0, end: 10, label: 'claim' }, // exact
    { start: 22, end: 30, label: 'source' }, // overlap only
    { start: 40, end: 50, label: 'opinion' }, // label differs
    { start: 60, end: 70, label: 'claim' }, // only B
  ];
  it('exact: same start, end and label', () => {
    // matched 1; precision 1/4, recall 1/3, F1 = 2·(1/4)(1/3)/(1/4+1/3) = 2/7
    const r = spanAgreement(a, b, 'exact');
    expect([r.precision, r.recall, r.a, r.b, r.matched]).toEqual([0.25, 1 / 3, 3, 4, 1]);
    expect(r.f1).toBeCloseTo(2 / 7, 12);
  });
  it('overlap: same label, overlapping, one-to-one', () => {
    // matched 2; precision 2/4, recall 2/3, F1 = 4/7
    const r = spanAgreement(a, b, 'overlap');
    expect([r.precision, r.recall, r.matched]).toEqual([0.5, 2 / 3, 2]);
    expect(r.f1).toBeCloseTo(4 / 7, 12);
  });
});

describe('B-cubed for claim grouping', () => {
  it('scores one clustering against another', () => {
    // A: {1,2,3} {4}; B: {1,2} {3,4}.
    // precision: 1→2/2, 2→2/2, 3→1/2, 4→1/2 = 0.75; recall: 1→2/3, 2→2/3, 3→1/3, 4→1/1 = 2/3
    const r = bCubed(
      new Map([
        ['1', 'x'],
        ['2', 'x'],
        ['3', 'x'],
        ['4', 'y'],
      ]),
      new Map([
        ['1', 'p'],
        ['2', 'p'],
        ['3', 'q'],
        ['4', 'q'],
      ]),
    );
    expect(r.precision).toBeCloseTo(0.75, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo((2 * 0.75 * (2 / 3)) / (0.75 + 2 / 3), 12);
  });
});

describe('tokenBounds', () => {
  /** The tokenizer as first written: a regular expression per code point. */
  function byRegex(text: string): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    let cp = 0;
    let start = -1;
    for (const ch of text) {
      const word = /[\p{L}\p{N}\p{M}]/u.test(ch);
      if (word && start < 0) start = cp;
      if (!word && start >= 0) {
        out.push({ start, end: cp });
        start = -1;
      }
      cp++;
    }
    if (start >= 0) out.push({ start, end: cp });
    return out;
  }

  it('finds the tokens a regular expression per code point finds (ASCII, accents, marks, astral letters, lone surrogates)', () => {
    const pieces = [
      'a',
      'Z',
      '0',
      '9',
      ' ',
      '_',
      '-',
      '’',
      'é',
      'e\u0301',
      'ß',
      '日本',
      '𝒳',
      '🇺🇦',
      '\ud800',
      '\udc00',
      '١٢',
      '\n',
      'x'.repeat(40),
    ];
    let seed = 3;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(tokenize(text), JSON.stringify(text)).toEqual(byRegex(text));
      const { starts, ends, count } = tokenBounds(text);
      expect(count).toBe(byRegex(text).length);
      expect(Array.from(starts.subarray(0, count))).toEqual(byRegex(text).map((t) => t.start));
      expect(Array.from(ends.subarray(0, count))).toEqual(byRegex(text).map((t) => t.end));
    }
  });
});
