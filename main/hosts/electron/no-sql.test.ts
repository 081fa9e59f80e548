/**
 * The Electron main process and its preload never run SQL: following every
 * import from their entry files reaches neither the store, nor better-sqlite3,
 * nor the modules that open a database (the service, the dispatcher, the
 * handlers). They reach the library only through the service process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** Every module an entry loads, following relative imports (type-only imports are erased and skipped). */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const [, typeOnly, spec] = m as unknown as [string, string | undefined, string];
      if (typeOnly) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
        continue;
      }
      const target = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      const found = [target, `${target}.ts`, join(target, 'index.ts')].find((f) => existsSync(f) && f.endsWith('.ts'));
      if (found) visit(found);
    }
    for (const m of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the Electron main process', () => {
  for (const entry of ['main/hosts/electron/main.ts', 'main/hosts/electron/preload.ts']) {
    it(`${entry} loads no SQL: not the store, not better-sqlite3, not the service`, () => {
      const { files, packages } = graph(join(root, entry));
      const loaded = [...files].map((f) => relative(root, f));
      expect(loaded.length).toBeGreaterThan(1);
      expect(packages.has('better-sqlite3')).toBe(false);
      const forbidden = loaded.filter(
        (f) =>
          /^main\/(store|handlers|import|export|review|team)\//.test(f) ||
          ['main/service.ts', 'main/api.ts', 'main/cli.ts'].includes(f) ||
          /^main\/service-process\/(protocol|entry|save)\.ts$/.test(f),
      );
      expect(forbidden).toEqual([]);
    });
  }

  it('would notice: the service process entry does load the store', () => {
    const loaded = [...graph(join(root, 'main/service-process/entry.ts')).files].map((f) => relative(root, f));
    expect(loaded).toContain('main/store/database.ts');
  });
});
