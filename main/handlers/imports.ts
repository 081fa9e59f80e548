/** Import jobs: files uploaded by the browser, or paths the host granted; status and cancel. */
import { ApiFailure } from '../errors.js';
import type { ImportJobs } from '../import/jobs.js';
import type { HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

type Methods = 'import.upload' | 'import.start' | 'import.status' | 'import.cancel';

/** A job error that is not already a failure for the user names a job that is not there. */
async function asNotFound<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw err instanceof ApiFailure ? err : new ApiFailure('not_found', (err as Error).message);
  }
}

export function importHandlers({ api }: HandlerContext): HandlersOf<Methods> {
  const imports = (): ImportJobs => {
    if (!api.imports) throw new ApiFailure('conflict', 'importing is not available in this host');
    return api.imports;
  };
  return {
    'import.upload': ({ uploadId, files }) => asNotFound(() => imports().upload(uploadId, files)),
    'import.start': (spec) => {
      if ('paths' in spec) {
        const refused = spec.paths.find((p) => !api.grants?.allows(p));
        if (refused !== undefined) {
          throw new ApiFailure(
            'forbidden',
            `"${refused.slice(0, 300)}" was not chosen in a dialog, dropped on the window or given on the command line; only those can be imported by path`,
          );
        }
      }
      return asNotFound(() => imports().start(spec));
    },
    'import.status': ({ jobId }) => asNotFound(() => imports().status(jobId)),
    'import.cancel': ({ jobId }) => asNotFound(() => imports().cancel(jobId)),
  };
}
