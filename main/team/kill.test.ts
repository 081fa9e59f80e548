/**
 * Nothing lost: a host killed (SIGKILL) at random moments in the middle of a
 * push or a pull, and started again, ends with every change exactly once on
 * both sides. Local changes made between the kills travel too.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { insertAnnotation } from '../store/annotations.js';
import { insertArticle } from '../store/articles.js';
import { setSetting } from '../store/settings.js';
import { bundleChild, tempDir } from '../test-support.js';
import { connect } from './connection.js';
import { addMember } from './members.js';
import { migrateTeam } from './schema.js';
import { startTestCluster, type TestCluster } from './test-cluster.js';

let cluster: TestCluster;
let child: { file: string; remove: () => void };
let dir: { dir: string; cleanup: () => void };
beforeAll(async () => {
  [cluster, child] = await Promise.all([startTestCluster(), bundleChild(join(import.meta.dirname, 'fixtures', 'kill-child.ts'))]);
  dir = tempDir();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Kira', { reviewer: false, password: 'kira-password' });
  await addMember(lead, 'Lee', { reviewer: false, password: 'lee-password' });
  await lead.end();
}, 120_000);
afterAll(() => {
  child?.remove();
  dir?.cleanup();
  cluster?.stop();
});

/** Runs the host; with `killAfter`, SIGKILLs it right after that many batch lines (plus a random few ms). */
function runHost(db: string, url: string, killAfter?: number): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    // The library keeps no password: a restarted host finds it where psql would.
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(new URL(url).password) };
    const proc = spawn(process.execPath, [child.file, db, url], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let steps = 0;
    let killed = false;
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      steps = out.split('\n').filter((l) => l === 'push' || l === 'pull').length;
      if (killAfter !== undefined && !killed && steps >= killAfter) {
        killed = true;
        setTimeout(() => proc.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`host exited ${code}: ${err}`));
    });
  });
}

async function serverRows(annotator: string): Promise<{ id: string; note: string; deleted: boolean }[]> {
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try {
    return (await c.query('SELECT id, note, deleted FROM claimdesk.annotations WHERE annotator = $1 ORDER BY id', [annotator])).rows;
  } finally {
    await c.end();
  }
}

const COUNT = 1500;

describe('a host killed mid-sync', () => {
  it('pushes and pulls every change exactly once, whenever it is killed', async () => {
    const kiraDb = join(dir.dir, 'kira.db');
    const db = openDatabase(kiraDb);
    setSetting(db, 'annotator', 'Kira');
    const text = 'word '.repeat(COUNT + 10).trim();
    const articleId = insertArticle(db, { title: 'Long', text }).id;
    const t = '2026-01-01T00:00:00.000Z';
    db.transaction(() => {
      for (let i = 0; i < COUNT; i++) {
        insertAnnotation(db, {
          id: `k-${String(i).padStart(5, '0')}`,
          articleId,
          start: i * 5,
          end: i * 5 + 4,
          quote: 'word',
          prefix: '',
          suffix: '',
          label: 'claim',
          annotator: 'Kira',
          note: '',
          createdAt: t,
          updatedAt: t,
        });
      }
    })();
    db.close();
    const kiraUrl = cluster.urlFor('Kira', 'kira-password');

    // Push: killed at random batches, with local edits between the kills.
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      const r = await runHost(kiraDb, kiraUrl, 1 + Math.floor(Math.random() * 12));
      if (r.killed) kills++;
      const d = openDatabase(kiraDb);
      d.prepare('UPDATE annotations SET note = ? WHERE id = ?').run(`round ${round}`, `k-${String(round * 7).padStart(5, '0')}`);
      d.prepare('DELETE FROM annotations WHERE id = ?').run(`k-${String(1000 + round).padStart(5, '0')}`);
      d.close();
    }
    expect((await runHost(kiraDb, kiraUrl)).out).toContain('done synced');
    expect(kills).toBeGreaterThan(0);

    const local = openDatabase(kiraDb);
    const localRows = local.prepare('SELECT id, note FROM annotations ORDER BY id').all() as { id: string; note: string }[];
    expect(local.prepare('SELECT count(*) AS n FROM team_outbox').get()).toEqual({ n: 0 });
    local.close();
    const server = await serverRows('Kira');
    expect(server.filter((r) => !r.deleted).map((r) => ({ id: r.id, note: r.note }))).toEqual(localRows);
    // Deleted here: gone there too (a tombstone, or never sent when deleted before the library first joined).
    const deletedHere = [1000, 1001, 1002, 1003, 1004].map((i) => `k-0${i}`);
    expect(server.filter((r) => r.deleted).every((r) => deletedHere.includes(r.id))).toBe(true);
    expect(server.filter((r) => !r.deleted && deletedHere.includes(r.id))).toEqual([]);
    expect(localRows).toHaveLength(COUNT - 5);

    // Pull: a new library joining, killed at random batches.
    const leeDb = join(dir.dir, 'lee.db');
    const leeUrl = cluster.urlFor('Lee', 'lee-password');
    let pullKills = 0;
    for (let round = 0; round < 4; round++) {
      const r = await runHost(leeDb, leeUrl, 1 + Math.floor(Math.random() * 12));
      if (r.killed) pullKills++;
    }
    expect((await runHost(leeDb, leeUrl)).out).toContain('done synced');
    expect(pullKills).toBeGreaterThan(0);
    const lee = openDatabase(leeDb);
    expect(lee.prepare("SELECT id, note FROM annotations WHERE annotator = 'Kira' ORDER BY id").all()).toEqual(localRows);
    expect(lee.prepare('SELECT count(*) AS n FROM articles').get()).toEqual({ n: 1 });
    lee.close();
    // Twenty host processes started one after another: like the library's own kill test, more than the default budget.
  }, 180_000);
});
