import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../main/api.js';
import { openService } from '../main/service.js';
import { tagPhrase } from '../main/test-builders.js';

/** The seed article most review tests use: "US Urges Ukraine to Sign Peace Deal…". */
export const REVIEW_ARTICLE_INDEX = 1;

/** A colleague's machine: their own database with the seeds, their tags on one article, exported as a bundle file. */
export async function colleagueBundle(dir: string, name: string, tags: [string, string][]): Promise<string> {
  const svc = openService(join(dir, `${name}.db`), { seed: true, inProcessImports: true });
  try {
    await call(svc.dispatch, 'settings.setAnnotator', { name });
    const article = (await call(svc.dispatch, 'articles.list', {}))[REVIEW_ARTICLE_INDEX]?.id ?? 0;
    for (const [phrase, label] of tags) await tagPhrase(svc, article, phrase, label);
    const file = join(dir, `${name.toLowerCase()}-bundle.json`);
    writeFileSync(file, (await call(svc.dispatch, 'bundle.export', { annotator: name })).content);
    return file;
  } finally {
    svc.close();
  }
}
