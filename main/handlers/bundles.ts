/** A colleague's layer as a file: export one annotator's bundle, import one with progress. */
import { ApiFailure } from '../errors.js';
import { BundleError, exportBundle, importBundle, parseBundle } from '../review/bundle.js';
import type { HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

export function bundleHandlers({ db, now, emit }: HandlerContext): HandlersOf<'bundle.export' | 'bundle.import'> {
  return {
    'bundle.export': ({ annotator, includeText }) => {
      const bundle = exportBundle(db, annotator, { includeText: includeText ?? true });
      const slug =
        annotator
          .toLocaleLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, '-')
          .replace(/^-|-$/g, '') || 'annotator';
      return {
        fileName: `claimdesk-bundle-${slug}-${bundle.exported_at.slice(0, 10)}.json`,
        content: JSON.stringify(bundle, null, 1),
        summary: [
          `${bundle.annotations.length} annotations by ${annotator} on ${bundle.articles.length} articles, ${bundle.links.length} links, ${bundle.groups.length} claim groups, ${bundle.source_entities?.length ?? 0} source entities${includeText === false ? ' (article texts left out)' : ''}.`,
        ],
      };
    },
    'bundle.import': async ({ fileName, content }) => {
      try {
        const report = await importBundle(db, parseBundle(content, fileName), fileName, {
          now: now(),
          onProgress: (done, total) => emit({ name: 'bundle.progress', bundle: { fileName, done, total } }),
        });
        emit({ name: 'articles.changed' });
        emit({ name: 'annotations.changed' });
        emit({ name: 'claims.changed' });
        if (report.labelsAdded.length || report.labelsAdopted?.length) emit({ name: 'labels.changed' });
        return report;
      } catch (err) {
        if (err instanceof BundleError) throw new ApiFailure('invalid_input', err.message);
        throw err;
      }
    },
  };
}
