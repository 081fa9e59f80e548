/** Small builders for tests: a real SQLite file in a fresh temp folder. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { call } from './api.js';
import { appRoot } from './paths.js';
import { openService, type Service } from './service.js';
import { insertArticle } from './store/articles.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'claimdesk-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestService extends Service {
  file: string;
  dispose: () => void;
}

/** A service on a new temporary database; seeded with the sample corpus unless `seed: false`. */
export async function testService(opts: { seed?: boolean; annotator?: string | null } = {}): Promise<TestService> {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'claimdesk.db');
  const svc = openService(file, { seed: opts.seed ?? false, inProcessImports: true });
  if (opts.annotator !== null) await call(svc.dispatch, 'settings.setAnnotator', { name: opts.annotator ?? 'Tester' });
  return {
    ...svc,
    file,
    dispose: () => {
      if (svc.db.open) svc.close();
      cleanup();
    },
  };
}

/** Adds one article and returns its id. */
export function addArticle(svc: Service, text: string, title = 'Test article'): number {
  return insertArticle(svc.db, { title, text, fileName: 'test.txt' }).id;
}

/**
 * Bundles a TypeScript entry (and the app code it imports; packages stay
 * external) into one ES module that plain `node` runs, for tests that start
 * child processes: half a second to start instead of a few under tsx, and one
 * process, so a SIGKILL reaches the code under test. The bundle sits under
 * node_modules/.cache so that its packages resolve; remove it when done.
 */
export async function bundleChild(entry: string): Promise<{ file: string; remove: () => void }> {
  const { build } = await import('esbuild');
  const dir = join(appRoot(), 'node_modules', '.cache', 'claimdesk-tests');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(entry, '.ts')}-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'error',
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}
