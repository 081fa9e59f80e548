import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from './paths.js';
import { bundleChild, tempDir } from './test-support.js';

let child: { file: string; remove: () => void };
beforeAll(async () => {
  child = await bundleChild(join(appRoot(), 'main', 'store', 'fixtures', 'log-child.ts'));
}, 60_000);
afterAll(() => child.remove());

describe('a warning that cannot be written', () => {
  it('does not take the host down (automatic backup failing with stderr on a full disk)', () => {
    const dir = tempDir();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [child.file, dir.dir], { stdio: ['ignore', 'pipe', full], encoding: 'utf8', timeout: 60_000 });
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: 'alive\n' });
    } finally {
      closeSync(full);
      dir.cleanup();
    }
  }, 60_000);
});
