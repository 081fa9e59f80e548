/**
 * The team password under the service process: the service asks its host to
 * seal it (Electron: safeStorage; here an AES-GCM key the host holds, which
 * plays the keychain's part), the library keeps only the sealed blob, and a
 * restarted service syncs without being given the password again. A host
 * that keeps no secrets leaves the password in memory only. Either way the
 * library file never holds the password in plain text.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamStatus } from '../../shared/team.js';
import { openDatabase } from '../store/database.js';
import { getSetting } from '../store/settings.js';
import { bundleChild, tempDir } from '../test-support.js';
import { connect } from '../team/connection.js';
import { addMember } from '../team/members.js';
import { migrateTeam } from '../team/schema.js';
import { startTestCluster, type TestCluster } from '../team/test-cluster.js';
import { forkService } from './node-spawn.js';
import { ServiceSupervisor } from './supervisor.js';

const PASSWORD = 'Sam-s3cret-team-pass';

let cluster: TestCluster;
let entry: { file: string; remove: () => void };
let dir: { dir: string; cleanup: () => void };
beforeAll(async () => {
  [cluster, entry] = await Promise.all([startTestCluster(), bundleChild(join(import.meta.dirname, 'entry.ts'))]);
  dir = tempDir();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Sam', { reviewer: false, password: PASSWORD });
  await addMember(lead, 'Tess', { reviewer: false, password: PASSWORD });
  await lead.end();
  // The password must come from the host, not from the environment.
  delete process.env.PGPASSWORD;
}, 120_000);
afterAll(() => {
  entry?.remove();
  dir?.cleanup();
  cluster?.stop();
});

/** A host's keychain stand-in: a key the library never sees. */
function keychain() {
  const key = randomBytes(32);
  return {
    seal: (plain: string) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    unseal: (sealed: string) => {
      const b = Buffer.from(sealed, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

async function host(db: string, secrets?: ReturnType<typeof keychain>): Promise<ServiceSupervisor> {
  const sup = new ServiceSupervisor({
    spawn: forkService(entry.file, ['--db', db, '--no-seed', '--worker', join(dir.dir, 'no-worker.js')]),
    secrets,
  });
  await sup.start();
  return sup;
}

async function call<T>(sup: ServiceSupervisor, method: string, input: unknown): Promise<T> {
  const r = await sup.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

/** Every byte of the library (the database and its WAL), as the disk holds them. */
function libraryBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

function expectNoPlainPassword(db: string): void {
  const bytes = libraryBytes(db);
  expect(bytes.length).toBeGreaterThan(0);
  for (const form of [Buffer.from(PASSWORD, 'utf8'), Buffer.from(PASSWORD, 'utf16le'), Buffer.from(encodeURIComponent(PASSWORD), 'utf8')]) {
    expect(bytes.indexOf(form)).toBe(-1);
  }
}

const sealedSetting = (db: string) => {
  const d = openDatabase(db);
  try {
    return getSetting(d, 'team.password.sealed');
  } finally {
    d.close();
  }
};

describe('the team password in the service process', { timeout: 60_000 }, () => {
  it('is sealed by the host: the library holds only the sealed blob, and a restarted service syncs with it', async () => {
    const db = join(dir.dir, 'sam.db');
    const secrets = keychain();
    let sup = await host(db, secrets);
    const joined = await call<TeamStatus>(sup, 'team.join', { url: cluster.urlFor('Sam', PASSWORD) });
    expect(joined.state).toBe('synced');
    expect(joined.url).not.toContain(PASSWORD);
    await sup.close();
    expectNoPlainPassword(db);
    const sealed = sealedSetting(db);
    expect(sealed).not.toBeNull();
    expect(secrets.unseal((JSON.parse(sealed ?? '{}') as { sealed: string }).sealed)).toBe(PASSWORD);

    // A new run: nobody gives the password; the host unseals it.
    sup = await host(db, secrets);
    try {
      const s = await call<TeamStatus>(sup, 'team.sync', {});
      expect(s.error).toBeNull();
      expect(s.state).toBe('synced');
      // Leaving forgets it.
      await call(sup, 'team.leave', {});
    } finally {
      await sup.close();
    }
    expect(sealedSetting(db)).toBeNull();
    expectNoPlainPassword(db);
  });

  it('stays in memory only with a host that keeps no secrets (the HTTP host, the CLI)', async () => {
    const db = join(dir.dir, 'tess.db');
    let sup = await host(db);
    expect((await call<TeamStatus>(sup, 'team.join', { url: cluster.urlFor('Tess', PASSWORD) })).state).toBe('synced');
    // Still in this run's memory: syncing again works.
    expect((await call<TeamStatus>(sup, 'team.sync', {})).state).toBe('synced');
    await sup.close();
    expectNoPlainPassword(db);
    expect(sealedSetting(db)).toBeNull();
    sup = await host(db);
    try {
      const r = await sup.dispatch('team.sync', {});
      const s = r.ok ? (r.value as TeamStatus) : null;
      expect(r.ok ? s?.error : r.error.message).toMatch(/no password|password/i);
    } finally {
      await sup.close();
    }
  });
});
