import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { TEAM_SCHEMA_VERSION } from '../main/team/schema.js';
import { startTestCluster, type TestCluster } from '../main/team/test-cluster.js';

let cluster: TestCluster;
test.beforeAll(async () => {
  cluster = await startTestCluster();
});
test.afterAll(() => cluster?.stop());

/** The built CLI, with no PG* variables or ~/.pgpass of the machine's in play. */
function cli(db: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/nonexistent' };
  delete env.PGPASSWORD;
  return spawnSync(process.execPath, ['bin/claimdesk.mjs', 'team', ...args, '--db', db], { encoding: 'utf8', env });
}

test('the lead sets up the workspace and members; two libraries join and sync by content hash', async ({ dataDir }) => {
  const leadDb = join(dataDir, 'lead.db');
  const init = cli(leadDb, 'init', cluster.url);
  expect(init.stderr).toBe('');
  expect(init.status).toBe(0);
  expect(init.stdout).toContain(`team schema created at version ${TEAM_SCHEMA_VERSION}`);
  expect(init.stdout).not.toContain('lead-secret');
  const again = cli(leadDb, 'init', cluster.url);
  expect(again.stdout).toContain(`already at version ${TEAM_SCHEMA_VERSION}: nothing to do`);

  writeFileSync(join(dataDir, 'alice.pw'), 'alice-password-1\n');
  const alice = cli(leadDb, 'add-member', 'Alice', '--password-file', join(dataDir, 'alice.pw'), '--url', cluster.url);
  expect(alice.status).toBe(0);
  expect(alice.stdout).toContain('added Alice as an analyst');
  expect(alice.stdout).not.toContain('alice-password-1');
  const bob = cli(leadDb, 'add-member', 'Bob', '--reviewer', '--url', cluster.url);
  expect(bob.status).toBe(0);
  expect(bob.stdout).toContain('added Bob as a reviewer');
  const bobPassword = /password \(shown once, not stored anywhere\): (\S+)/.exec(bob.stdout)?.[1] ?? '';
  expect(bobPassword.length).toBeGreaterThanOrEqual(20);
  expect(cli(leadDb, 'add-member', 'Bob', '--url', cluster.url).stderr).toContain('already exists');

  // Alice's library: the seeds, one tag of hers.
  const aliceDb = join(dataDir, 'alice.db');
  const { openService } = await import('../main/service.js');
  const { call } = await import('../main/api.js');
  const { tagPhrase } = await import('../main/test-builders.js');
  const svc = openService(aliceDb, { seed: true, inProcessImports: true, backups: false, team: { live: false } });
  const article = (await call(svc.dispatch, 'articles.list', {}))[0];
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Alice' });
  const words = (await call(svc.dispatch, 'articles.get', { id: article?.id ?? 0 })).text.split(/\s+/).slice(3, 6).join(' ');
  await tagPhrase(svc, article?.id ?? 0, words, 'claim');
  svc.close();

  const joinA = cli(aliceDb, 'join', cluster.urlFor('Alice', 'alice-password-1'));
  expect(joinA.stderr).toMatch(/pulling \d+ of \d+ rows/);
  expect(joinA.status).toBe(0);
  expect(joinA.stdout).toMatch(/^Synced /);
  expect(joinA.stdout).toContain('member: Alice');
  expect(joinA.stdout).not.toContain('alice-password-1');

  // Bob's library is new: it gets the articles and Alice's layer.
  const bobDb = join(dataDir, 'bob.db');
  writeFileSync(join(dataDir, 'bob.pw'), `${bobPassword}\n`);
  const joinB = cli(bobDb, 'join', cluster.urlFor('Bob', '').replace(':@', '@'), '--password-file', join(dataDir, 'bob.pw'));
  expect(joinB.stdout).toContain('member: Bob (reviewer)');
  expect(joinB.status).toBe(0);
  const stats = spawnSync(process.execPath, ['bin/claimdesk.mjs', 'stats', '--db', bobDb], { encoding: 'utf8' });
  expect(stats.stdout).toMatch(/5 articles/);
  expect(stats.stdout).toMatch(/Claim\s+1/);

  // Later syncs need the password from PGPASSWORD or .pgpass: without one, the error says so.
  const noPassword = cli(bobDb, 'sync');
  expect(noPassword.status).toBe(1);
  expect(noPassword.stderr + noPassword.stdout).toMatch(/no password|wrong user name or password/);
  const pgpass = join(dataDir, 'pgpass');
  writeFileSync(pgpass, `127.0.0.1:${cluster.port}:team:Bob:${bobPassword}\n`, { mode: 0o600 });
  const synced = spawnSync(process.execPath, ['bin/claimdesk.mjs', 'team', 'sync', '--db', bobDb], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSFILE: pgpass },
  });
  expect(synced.stdout).toMatch(/^Synced /);
  expect(synced.status).toBe(0);
  const status = cli(bobDb, 'status');
  expect(status.stdout).toContain('changes waiting: 0');
});

test('joining with a wrong password, or a database without a workspace, says so and links nothing', async ({ dataDir }) => {
  const db = join(dataDir, 'x.db');
  const wrong = cli(db, 'join', cluster.urlFor('Nobody', 'nothing'));
  expect(wrong.status).toBe(1);
  expect(wrong.stderr).toContain('wrong user name or password');
  expect(cli(db, 'status').stdout).toContain('Not in a team workspace');
  const unreachable = cli(db, 'join', 'postgres://a:b@127.0.0.1:1/team');
  expect(unreachable.stderr).toContain('cannot reach 127.0.0.1:1');
  expect(cli(db, 'sync').stderr).toContain('not in a team workspace');
});
