/**
 * The team schema's numbered migrations, like the library's own: one
 * transaction, a version table, a schema from a newer Claimdesk refused.
 */
import type pg from 'pg';
import { TeamError } from './connection.js';
import { migration001 } from './migrations/001-initial.js';
import { migration002 } from './migrations/002-notify-position.js';
import { migration003 } from './migrations/003-article-metadata.js';

export interface TeamMigration {
  version: number;
  sql: string;
}

/** Every team schema version in order; a shipped migration is never edited. */
export const TEAM_MIGRATIONS: readonly TeamMigration[] = [
  { version: 1, sql: migration001 },
  { version: 2, sql: migration002 },
  { version: 3, sql: migration003 },
];

TEAM_MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`team migration list is out of order at position ${i}`);
});

export const TEAM_SCHEMA_VERSION = TEAM_MIGRATIONS.length;

/** The schema version of the team database (0: not initialised). */
export async function teamSchemaVersion(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('claimdesk.schema_version') IS NOT NULL AS present");
  if (!rows[0]?.present) return 0;
  const v = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM claimdesk.schema_version');
  return v.rows[0]?.version ?? 0;
}

/** Refuses a team database this Claimdesk cannot use. */
export async function checkTeamSchema(client: pg.Client): Promise<number> {
  const version = await teamSchemaVersion(client);
  if (version === 0)
    throw new TeamError(
      'not_initialised',
      'the database holds no Claimdesk team workspace yet: the team lead runs `claimdesk team init URL` first',
    );
  if (version > TEAM_SCHEMA_VERSION) {
    throw new TeamError(
      'newer_schema',
      `the team workspace was set up by a newer Claimdesk (schema version ${version}; this version knows up to ${TEAM_SCHEMA_VERSION}). Update Claimdesk to join it.`,
    );
  }
  if (version < TEAM_SCHEMA_VERSION) {
    throw new TeamError(
      'too_old',
      `the team workspace is at schema version ${version} and this Claimdesk needs ${TEAM_SCHEMA_VERSION}: the team lead runs \`claimdesk team init URL\` again to upgrade it`,
    );
  }
  return version;
}

/**
 * Creates or migrates the team schema (as the team lead: a role allowed to
 * create schemas and roles). Applies every pending migration in one
 * transaction, under a lock so two leads running it at once do not collide.
 */
export async function migrateTeam(
  client: pg.Client,
  migrations: readonly TeamMigration[] = TEAM_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('claimdesk team schema'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS claimdesk');
    await client.query(
      'CREATE TABLE IF NOT EXISTS claimdesk.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const from = await teamSchemaVersion(client);
    if (from > migrations.length) {
      throw new TeamError(
        'newer_schema',
        `the team workspace was set up by a newer Claimdesk (schema version ${from}; this version knows up to ${migrations.length})`,
      );
    }
    for (const m of migrations.slice(from)) {
      await client.query(m.sql);
      await client.query('INSERT INTO claimdesk.schema_version (version) VALUES ($1)', [m.version]);
    }
    // Members check the version before they sync.
    await client.query(
      "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_analyst') THEN GRANT USAGE ON SCHEMA claimdesk TO claimdesk_analyst; GRANT SELECT ON claimdesk.schema_version TO claimdesk_analyst; END IF; END $$",
    );
    await client.query('COMMIT');
    return { from, to: migrations.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (err instanceof TeamError) throw err;
    const e = err as { code?: string; message?: string };
    if (e.code === '42501')
      throw new TeamError(
        'refused',
        `team init needs a role that may create schemas and roles (the database owner with CREATEROLE, or a superuser): ${e.message ?? ''}`,
      );
    throw err;
  }
}
