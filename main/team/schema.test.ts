import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connect } from './connection.js';
import { addMember, whoAmI } from './members.js';
import { migrateTeam, TEAM_MIGRATIONS, TEAM_SCHEMA_VERSION, checkTeamSchema } from './schema.js';
import { parseNotice } from './sync.js';
import { startTestCluster, type TestCluster } from './test-cluster.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Alice', { reviewer: false, password: 'alice-password' });
  await addMember(lead, 'Bob', { reviewer: true, password: 'bob-password' });
  await lead.end();
}, 60_000);
afterAll(() => cluster?.stop());

/** A plain SQL session as a member, the way any PostgreSQL tool would connect. */
async function as(user: string, password: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: cluster.urlFor(user, password) });
  await c.connect();
  return c;
}

const HASH_TEXT = 'Ministers said the deal was close.';
const insertArticle = `INSERT INTO claimdesk.articles (content_hash, title, text) VALUES (encode(sha256(convert_to($1, 'UTF8')), 'hex'), 't', $1) ON CONFLICT DO NOTHING RETURNING content_hash`;
const insertAnnotation = `INSERT INTO claimdesk.annotations (id, article_hash, start, "end", quote, prefix, suffix, label, annotator, created_at, updated_at)
  VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'), 0, 9, 'Ministers', '', '', 'claim', $3, 'now', 'now')`;

describe('team schema', () => {
  it('is created by init, is at the newest version, and a second init changes nothing', async () => {
    const lead = await connect(cluster.url);
    try {
      expect(await checkTeamSchema(lead)).toBe(TEAM_SCHEMA_VERSION);
      expect(await migrateTeam(lead)).toEqual({ from: TEAM_SCHEMA_VERSION, to: TEAM_SCHEMA_VERSION });
    } finally {
      await lead.end();
    }
  });

  it('refuses a schema written by a newer Claimdesk', async () => {
    const lead = await connect(cluster.url);
    try {
      await lead.query('BEGIN');
      await lead.query('INSERT INTO claimdesk.schema_version (version) VALUES ($1)', [TEAM_SCHEMA_VERSION + 1]);
      await expect(checkTeamSchema(lead)).rejects.toThrow(/newer Claimdesk/);
      await lead.query('ROLLBACK');
    } finally {
      await lead.end();
    }
  });

  it('knows each member by their role', async () => {
    const alice = await connect(cluster.urlFor('Alice', 'alice-password'));
    const bob = await connect(cluster.urlFor('Bob', 'bob-password'));
    try {
      expect(await whoAmI(alice)).toEqual({ member: 'Alice', reviewer: false });
      expect(await whoAmI(bob)).toEqual({ member: 'Bob', reviewer: true });
    } finally {
      await alice.end();
      await bob.end();
    }
  });

  it('refuses a wrong password in words', async () => {
    await expect(connect(cluster.urlFor('Alice', 'not-her-password'))).rejects.toThrow(/wrong user name or password/);
  });
});

describe('row-level security, from plain SQL', () => {
  it('lets an analyst write her own layer and refuses every change to a colleague’s rows', async () => {
    const alice = await as('Alice', 'alice-password');
    const bob = await as('Bob', 'bob-password');
    try {
      await alice.query(insertArticle, [HASH_TEXT]);
      await alice.query(insertAnnotation, ['a-1', HASH_TEXT, 'Alice']);
      await bob.query(insertAnnotation, ['b-1', HASH_TEXT, 'Bob']);
      // Alice sees Bob's row…
      expect((await alice.query("SELECT annotator FROM claimdesk.annotations WHERE id = 'b-1'")).rows).toEqual([{ annotator: 'Bob' }]);
      // …and every way of changing it is refused with an error, not silently skipped.
      await expect(alice.query("UPDATE claimdesk.annotations SET label = 'opinion' WHERE id = 'b-1'")).rejects.toThrow(
        /row-level security/,
      );
      await expect(alice.query("UPDATE claimdesk.annotations SET deleted = true WHERE id = 'b-1'")).rejects.toThrow(/row-level security/);
      await expect(alice.query("DELETE FROM claimdesk.annotations WHERE id = 'b-1'")).rejects.toThrow(/permission denied/);
      await expect(alice.query("UPDATE claimdesk.annotations SET annotator = 'Alice' WHERE id = 'b-1'")).rejects.toThrow(
        /permission denied/,
      );
      await expect(alice.query(insertAnnotation, ['a-2', HASH_TEXT, 'Bob'])).rejects.toThrow(/row-level security/);
      await expect(
        alice.query(`${insertAnnotation} ON CONFLICT (id) DO UPDATE SET label = 'opinion'`, ['b-1', HASH_TEXT, 'Alice']),
      ).rejects.toThrow(/row-level security/);
      // Writing gold is for reviewers.
      await expect(alice.query(insertAnnotation, ['g-1', HASH_TEXT, 'gold'])).rejects.toThrow(/row-level security/);
      await bob.query(insertAnnotation, ['g-1', HASH_TEXT, 'gold']);
      await expect(
        alice.query(
          "INSERT INTO claimdesk.adjudications (id, article_hash, item_key, kind, annotator_a, annotator_b, decision, reviewer, at) SELECT 'x', content_hash, 'k', 'agreed', 'Alice', 'Bob', 'accept_a', 'Alice', 'now' FROM claimdesk.articles LIMIT 1",
        ),
      ).rejects.toThrow(/permission denied/);
      // Her own rows she changes freely; Bob's are as he left them.
      await alice.query("UPDATE claimdesk.annotations SET label = 'opinion', deleted = true WHERE id = 'a-1'");
      const rows = (await bob.query('SELECT id, label, deleted, written_by FROM claimdesk.annotations ORDER BY id')).rows;
      expect(rows).toEqual([
        { id: 'a-1', label: 'opinion', deleted: true, written_by: 'Alice' },
        { id: 'b-1', label: 'claim', deleted: false, written_by: 'Bob' },
        { id: 'g-1', label: 'claim', deleted: false, written_by: 'Bob' },
      ]);
    } finally {
      await alice.end();
      await bob.end();
    }
  });

  it('shares groups and labels but keeps their ids and authors', async () => {
    const alice = await as('Alice', 'alice-password');
    const bob = await as('Bob', 'bob-password');
    try {
      await alice.query(
        "INSERT INTO claimdesk.groups (id, canonical, canonical_at, note_at, created_by, created_at, deleted_at) VALUES ('g', 'Deal close', '1', '1', 'Alice', '1', '')",
      );
      await bob.query("UPDATE claimdesk.groups SET canonical = 'The deal is close', canonical_at = '2' WHERE id = 'g'");
      await expect(bob.query("UPDATE claimdesk.groups SET created_by = 'Bob' WHERE id = 'g'")).rejects.toThrow(/permission denied/);
      await expect(bob.query("DELETE FROM claimdesk.groups WHERE id = 'g'")).rejects.toThrow(/permission denied/);
      await expect(
        bob.query("INSERT INTO claimdesk.group_history (id, group_id, action, actor, at) VALUES ('h', 'g', 'rename', 'Alice', '2')"),
      ).rejects.toThrow(/row-level security/);
      // The server stamps who wrote, whatever the client claims.
      await expect(bob.query("UPDATE claimdesk.groups SET written_by = 'Alice' WHERE id = 'g'")).rejects.toThrow(/permission denied/);
      expect((await alice.query("SELECT canonical, written_by FROM claimdesk.groups WHERE id = 'g'")).rows).toEqual([
        { canonical: 'The deal is close', written_by: 'Bob' },
      ]);
    } finally {
      await alice.end();
      await bob.end();
    }
  });
});

describe('notifications', () => {
  it('name the writer and the transaction, so a library skips its own echo and what it pulled already', async () => {
    const listener = await as('Bob', 'bob-password');
    const alice = await as('Alice', 'alice-password');
    try {
      const got: (string | undefined)[] = [];
      listener.on('notification', (n) => got.push(n.payload));
      await listener.query('LISTEN claimdesk_changes');
      await alice.query(insertArticle, [HASH_TEXT]);
      await alice.query(insertAnnotation, ['a-notice', HASH_TEXT, 'Alice']);
      const { rows } = await alice.query<{ tx: string }>("SELECT tx::text FROM claimdesk.annotations WHERE id = 'a-notice'");
      const t0 = Date.now();
      while (!got.some((p) => p?.includes('"annotations"')) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      const notice = got.map((p) => ({ p, parsed: parseNotice(p) })).find((x) => x.p?.includes('"annotations"'));
      expect(notice?.parsed).toEqual({ by: 'Alice', tx: BigInt(rows[0]?.tx ?? '-1') });
    } finally {
      await listener.end();
      await alice.end();
    }
  });

  it('migrates a version-1 workspace to the newest version', async () => {
    const lead = await connect(cluster.url);
    await lead.query('CREATE DATABASE team_v1');
    await lead.end();
    const url = new URL(cluster.url);
    url.pathname = '/team_v1';
    const old = await connect(url.toString());
    try {
      expect(await migrateTeam(old, TEAM_MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
      expect(await migrateTeam(old)).toEqual({ from: 1, to: TEAM_SCHEMA_VERSION });
      expect(await checkTeamSchema(old)).toBe(TEAM_SCHEMA_VERSION);
    } finally {
      await old.end();
    }
  });
});
