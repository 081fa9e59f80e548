/** One-line fixtures for claims tests: tag a phrase of an article by its text. */
import type { Annotation } from '../shared/schemas.js';
import { call } from './api.js';
import type { Service } from './service.js';
import { insertArticle } from './store/articles.js';

/** Tags the first occurrence of `phrase` (after `after`, if given) in the article. */
export async function tagPhrase(svc: Service, articleId: number, phrase: string, label: string, after = ''): Promise<Annotation> {
  const { text } = await call(svc.dispatch, 'articles.get', { id: articleId });
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(phrase, Math.max(0, from));
  if (at < 0) throw new Error(`"${phrase}" is not in article ${articleId}`);
  const start = [...text.slice(0, at)].length;
  return call(svc.dispatch, 'annotations.create', { articleId, start, end: start + [...phrase].length, quote: phrase, label });
}

/** Texts that make offsets hard: emoji (flags, ZWJ families, skin tones), combining marks NFC cannot compose, scripts beyond Latin. */
export const RICH_TEXTS = [
  {
    title: 'Peace deal first 🇺🇦',
    outlet: 'Ukrainska Pravda',
    url: 'https://example.org/peace-deal',
    publishedAt: '2025-11-25T08:00:00.000Z',
    byline: 'Olena Kovalenko',
    text: 'Rubio told EU officials that Washington wants a peace deal first.\n\nAn unnamed European diplomat said the guarantees 👩‍👩‍👧 must come before any signature.\n\nKyiv 🇺🇦 calls the sequencing “unacceptable” 👍🏽.',
  },
  {
    title: 'Guarantees before signing',
    outlet: 'Politico Europe',
    url: 'https://example.org/guarantees',
    publishedAt: '2025-11-26T10:30:00.000Z',
    byline: null,
    text: 'Washington is pushing for Ukraine to sign a peace deal before guarantees, a report by Politico says.\n\nZ̤͔ͧ̑ combining marks stay as they are: q̇ and n̈ and a̋.\n\nThe Kremlin insists it wants post-conflict assurances.',
  },
  {
    title: 'Многоязычный отчёт',
    outlet: null,
    url: null,
    publishedAt: null,
    byline: 'Σοφία Παπαδοπούλου',
    text: 'Москва заявила, что мирное соглашение должно быть подписано первым.\n\nकीव ने कहा कि गारंटी पहले आनी चाहिए। مصدر دبلوماسي قال إن الضمانات ضرورية.\n\n日本の外交筋は「保証が先だ」と述べた。',
  },
] as const;

export interface RichLibrary {
  articleIds: number[];
  /** Annotation ids by a short name. */
  tags: Record<string, Annotation>;
  linkIds: string[];
  groupIds: string[];
}

/**
 * A library using everything: several articles with metadata and hard text,
 * every label (a custom one, and a default one recoloured), overlapping tags
 * with notes, links of every kind, claim groups across articles with edited
 * wording and notes, and two annotators.
 */
export async function buildRichLibrary(svc: Service): Promise<RichLibrary> {
  const articleIds = RICH_TEXTS.map((a) => insertArticle(svc.db, { ...a, fileName: `${a.title.slice(0, 12)}.html` }).id);
  const [a1, a2, a3] = articleIds as [number, number, number];
  await call(svc.dispatch, 'labels.create', {
    id: 'background',
    name: 'Background',
    color: '#2e8b57',
    shortcut: '5',
    description: 'Context the reader needs.',
  });
  await call(svc.dispatch, 'labels.update', { id: 'opinion', color: '#aa3377', description: 'Evaluation or stance.' });

  const tags: Record<string, Annotation> = {};
  const tag = async (name: string, articleId: number, phrase: string, label: string) =>
    (tags[name] = await tagPhrase(svc, articleId, phrase, label));
  const as = (annotator: string) => call(svc.dispatch, 'settings.setAnnotator', { name: annotator });

  await as('Alice');
  const claim1 = await tag('claim1', a1, 'Washington wants a peace deal first', 'claim');
  const source1 = await tag('source1', a1, 'Rubio', 'source');
  const diplomat = await tag('diplomat', a1, 'An unnamed European diplomat', 'source');
  const guarantees = await tag('guarantees', a1, 'the guarantees 👩‍👩‍👧 must come before any signature', 'claim');
  // Overlapping: a claim and an opinion sharing words.
  await tag('unacceptable', a1, 'calls the sequencing “unacceptable” 👍🏽', 'opinion');
  const kyiv = await tag('kyiv', a1, 'Kyiv 🇺🇦 calls the sequencing', 'claim');
  const claim2 = await tag('claim2', a2, 'Washington is pushing for Ukraine to sign a peace deal before guarantees', 'claim');
  const politico = await tag('politico', a2, 'a report by Politico', 'source');
  await tag('combining', a2, 'q̇ and n̈ and a̋', 'background');
  const moscow = await tag('moscow', a3, 'мирное соглашение должно быть подписано первым', 'claim');
  await tag('kyivHindi', a3, 'कीव', 'source');
  await tag('arabic', a3, 'الضمانات ضرورية', 'opinion');
  tags.claim1 = await call(svc.dispatch, 'annotations.update', {
    id: claim1.id,
    note: 'Checked against the State Department readout.\nSecond line; "quoted"; =not a formula',
  });
  // Each analyst links their own tags: a link belongs to the layer of the tags it joins.
  const aliceLinks = [
    await call(svc.dispatch, 'links.create', { claimId: claim1.id, sourceId: source1.id, kind: 'paraphrase' }),
    await call(svc.dispatch, 'links.create', { claimId: guarantees.id, sourceId: diplomat.id, kind: 'unnamed' }),
    await call(svc.dispatch, 'links.create', { claimId: claim2.id, sourceId: politico.id, kind: 'direct' }),
  ];

  await as('Bob');
  const bobClaim = await tag('bobClaim', a1, 'Washington wants a peace deal', 'claim');
  const bobSource = await tag('bobSource', a1, 'Rubio told EU officials', 'source');
  await tag('bobKremlin', a2, 'The Kremlin insists it wants post-conflict assurances', 'opinion');
  const bobJapan = await tag('bobJapan', a3, '「保証が先だ」', 'claim');
  tags.bobJapan = await call(svc.dispatch, 'annotations.update', { id: bobJapan.id, note: '日本語のメモ 📝' });

  const links = [...aliceLinks, await call(svc.dispatch, 'links.create', { claimId: bobClaim.id, sourceId: bobSource.id, kind: 'direct' })];
  const deal = await call(svc.dispatch, 'groups.create', { annotationIds: [claim1.id, claim2.id, moscow.id] });
  await call(svc.dispatch, 'groups.update', {
    id: deal.id,
    canonical: 'The US wants a peace deal before security guarantees',
    note: 'Grouped across three outlets.',
  });
  const first = await call(svc.dispatch, 'groups.create', {
    canonical: 'Guarantees must come first',
    annotationIds: [guarantees.id, kyiv.id],
  });
  const bobs = await call(svc.dispatch, 'groups.create', { annotationIds: [bobClaim.id, bobJapan.id] });
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Alice' });
  return { articleIds, tags, linkIds: links.map((l) => l.id), groupIds: [deal.id, first.id, bobs.id] };
}
