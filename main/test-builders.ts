/** One-line fixtures for claims tests: tag a phrase of an article by its text. */
import type { Annotation } from '../shared/schemas.js';
import { call } from './api.js';
import type { Service } from './service.js';

/** Tags the first occurrence of `phrase` (after `after`, if given) in the article. */
export async function tagPhrase(svc: Service, articleId: number, phrase: string, label: string, after = ''): Promise<Annotation> {
  const { text } = await call(svc.dispatch, 'articles.get', { id: articleId });
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(phrase, Math.max(0, from));
  if (at < 0) throw new Error(`"${phrase}" is not in article ${articleId}`);
  const start = [...text.slice(0, at)].length;
  return call(svc.dispatch, 'annotations.create', { articleId, start, end: start + [...phrase].length, quote: phrase, label });
}
