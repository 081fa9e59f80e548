import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

test('claimdesk backup, backups and restore, and a refused restore that changes nothing', async ({ dataDir }) => {
  const { openService } = await import('../main/service.js');
  const { call } = await import('../main/api.js');
  const { tagPhrase } = await import('../main/test-builders.js');
  const db = join(dataDir, 'cli.db');
  const svc = openService(db, { seed: true, inProcessImports: true, backups: false });
  const article = (await call(svc.dispatch, 'articles.list', {}))[1]?.id ?? 0;
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Alice' });
  await tagPhrase(svc, article, 'a report by Politico', 'source');
  svc.close();

  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/claimdesk.mjs', ...args, '--db', db], { encoding: 'utf8' });
  const folder = join(dataDir, 'backups', 'cli');

  const backup = cli('backup');
  expect(backup.status).toBe(0);
  const made = /claimdesk-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-v\d+\.db/.exec(backup.stdout)?.[0] ?? '';
  expect(backup.stdout).toContain(`backed up ${db}\n  to ${join(folder, made)} (5 articles, 1 annotations, `);
  expect(readdirSync(folder)).toEqual([made]);

  // Work after the backup: an import and a tag.
  writeFileSync(join(dataDir, 'later.txt'), 'Written later\n\nAn article the backup does not hold.');
  expect(cli('import', join(dataDir, 'later.txt')).status).toBe(0);
  expect(cli('stats').stdout).toContain('6 articles');

  const list = cli('backups');
  expect(list.status).toBe(0);
  expect(list.stdout).toMatch(new RegExp(`^${folder}: 1 backups\\n${made} +\\d+ KB  schema v\\d+, 5 articles, 1 annotations\\n$`));

  const restored = cli('restore', made);
  expect(restored.stderr).toBe('');
  expect(restored.status).toBe(0);
  expect(restored.stdout).toContain(`restored ${made} into ${db}: 5 articles, 1 annotations\n`);
  const safety = /the state before the restore is in (\S+-pre-restore\.db)\n/.exec(restored.stdout)?.[1] ?? '';
  expect(existsSync(safety)).toBe(true);
  expect(cli('stats').stdout).toContain('5 articles');
  expect(cli('backups').stdout).toMatch(/-pre-restore\.db +\d+ KB {2}schema v\d+, 6 articles, 1 annotations\n/);

  // Refused: a file that is not a database, and one from a newer Claimdesk; the database stays as it is.
  writeFileSync(join(dataDir, 'notes.txt'), 'not a database, just notes');
  const notDb = cli('restore', join(dataDir, 'notes.txt'));
  expect(notDb.status).toBe(1);
  expect(notDb.stderr).toBe(
    'claimdesk restore: cannot restore notes.txt: it is not a readable SQLite database (file is not a database)\nNothing was changed.\n',
  );
  const newer = join(dataDir, 'newer.db');
  copyFileSync(join(folder, made), newer);
  const raw = new Database(newer);
  raw.pragma('user_version = 999');
  raw.close();
  const fromFuture = cli('restore', newer);
  expect(fromFuture.status).toBe(1);
  expect(fromFuture.stderr).toMatch(
    /^claimdesk restore: cannot restore newer\.db: it was written by a newer Claimdesk \(schema version 999; this version knows up to \d+\)\nNothing was changed\.\n$/,
  );
  expect(readdirSync(folder)).toHaveLength(2);

  // The state before the restore comes back the same way, from its path.
  const back = cli('restore', safety);
  expect(back.status).toBe(0);
  expect(back.stdout).toContain('6 articles, 1 annotations');
  expect(cli('stats').stdout).toContain('6 articles');
});
