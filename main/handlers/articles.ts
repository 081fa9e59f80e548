/** The library's articles: list, read, search, edit details, delete, paste a new one. */
import { codePointLength } from '../../shared/offsets.js';
import { normalizeText } from '../../shared/text.js';
import { ApiFailure } from '../errors.js';
import { parsePlainArticle } from '../import/plain.js';
import { ReadError } from '../import/types.js';
import {
  deleteArticle,
  getArticleText,
  insertArticle,
  listArticles,
  MATCH_CLOSE,
  MATCH_OPEN,
  searchArticles,
  updateArticleMetadata,
} from '../store/articles.js';
import { requireArticle, type HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

type Methods = 'articles.list' | 'articles.get' | 'articles.update' | 'articles.delete' | 'articles.search' | 'articles.createFromText';

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

export function articleHandlers({ db, emit }: HandlerContext): HandlersOf<Methods> {
  return {
    'articles.list': () => listArticles(db),
    'articles.get': ({ id }) => requireArticle(db, id),
    'articles.update': ({ id, title, outlet, url, publishedAt }) => {
      requireArticle(db, id);
      const date = blankToNull(publishedAt);
      db.transaction(() =>
        updateArticleMetadata(db, id, {
          title,
          outlet: blankToNull(outlet),
          url: blankToNull(url),
          publishedAt: date ? new Date(date).toISOString() : date,
        }),
      )();
      emit({ name: 'articles.changed', articleId: id });
      return requireArticle(db, id);
    },
    'articles.delete': ({ id }) => {
      requireArticle(db, id);
      const annotationsDeleted = db.transaction(() => deleteArticle(db, id))();
      emit({ name: 'articles.changed', articleId: id });
      return { id, annotationsDeleted };
    },
    'articles.search': ({ query, limit }) =>
      searchArticles(db, query, limit ?? 50).map((row) => {
        // Offset of the first highlighted word in the text, so the article opens scrolled to it.
        const term = row.snippet.split(MATCH_OPEN)[1]?.split(MATCH_CLOSE)[0] ?? '';
        // The snippet quotes the text as it is, so the term is found as written; only the text before it is measured in code points.
        const text = getArticleText(db, row.id) ?? '';
        let at = term ? text.indexOf(term) : -1;
        if (term && at < 0) at = text.toLocaleLowerCase().indexOf(term.toLocaleLowerCase());
        return {
          articleId: row.id,
          title: row.title,
          outlet: row.outlet,
          snippet: row.snippet,
          matchStart: at >= 0 ? codePointLength(text.slice(0, at)) : null,
          matchLength: at >= 0 ? codePointLength(term) : 0,
        };
      }),
    'articles.createFromText': ({ text, title }) => {
      let parsed;
      try {
        parsed = title?.trim() ? { title: title.trim(), text: normalizeText(text).trim() } : parsePlainArticle(text);
      } catch (err) {
        if (err instanceof ReadError) throw new ApiFailure('invalid_input', `the pasted text: ${err.message}`);
        throw err;
      }
      if (parsed.text === '') throw new ApiFailure('invalid_input', 'the pasted text is empty');
      const stored = db.transaction(() => insertArticle(db, { ...parsed, fileName: null }))();
      if (!stored.duplicate) emit({ name: 'articles.changed', articleId: stored.id });
      return {
        source: 'pasted text',
        status: stored.duplicate ? ('duplicate' as const) : ('imported' as const),
        articleId: stored.id,
        title: parsed.title,
        ...(stored.duplicate ? { message: 'the same text is already in the library' } : {}),
      };
    },
  };
}
