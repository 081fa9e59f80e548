/**
 * Connecting to the team database the way PostgreSQL's own tools do: a
 * `postgres://` URL (`sslmode`, `sslrootcert`… in its query), the password
 * from the URL, else `PGPASSWORD`, else `PGPASSFILE` / `~/.pgpass` (the `pg`
 * client reads both), and the `PG*` variables for whatever the URL leaves
 * out. Errors are turned into words an analyst can act on.
 */
import pg from 'pg';

/** The oldest PostgreSQL the team schema runs on (row-level security, `xid8`, `pg_current_snapshot`). */
export const MIN_SERVER_VERSION = 150000;

export type TeamErrorKind = 'offline' | 'auth' | 'too_old' | 'newer_schema' | 'not_initialised' | 'not_member' | 'refused' | 'invalid';

/** A failure with a kind the status line and the CLI can act on, and a message in words. */
export class TeamError extends Error {
  override name = 'TeamError';
  constructor(
    readonly kind: TeamErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The URL without its password (what a library may store and show). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString();
  } catch {
    throw new TeamError('invalid', `not a PostgreSQL URL: ${url.slice(0, 80)} (expected postgres://USER@HOST:PORT/DATABASE)`);
  }
}

/** The user name the URL connects as (or PGUSER). */
export function urlUser(url: string): string | null {
  const u = new URL(url);
  return u.username ? decodeURIComponent(u.username) : (process.env.PGUSER ?? null);
}

export function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TeamError('invalid', `not a PostgreSQL URL: ${url.slice(0, 80)} (expected postgres://USER@HOST:PORT/DATABASE)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new TeamError('invalid', `the team URL must start with postgres://, not ${u.protocol}//`);
}

/** Whether an error means the server could not be reached (retry later) rather than a refusal. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  const code = e.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN'].includes(code))
    return true;
  // 08: connection exceptions; 57P01-03: the server is shutting down or restarting.
  if (/^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|ended unexpectedly/i.test(
    e.message ?? '',
  );
}

/** A team error in words for any failure of the connection or the server. */
export function describeError(err: unknown, url: string): TeamError {
  if (err instanceof TeamError) return err;
  const e = err as { code?: string; message?: string };
  const where = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname}:${u.port || 5432}`;
    } catch {
      return 'the team server';
    }
  })();
  if (isConnectionError(err)) return new TeamError('offline', `cannot reach ${where} (${e.code ?? e.message ?? 'no answer'})`);
  if (e.code === '28P01' || e.code === '28000') return new TeamError('auth', `wrong user name or password for ${where}`);
  if (/password must be a string|no password|SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string/i.test(e.message ?? '')) {
    return new TeamError('auth', `no password for ${where}: put it in the URL, PGPASSWORD or ~/.pgpass (PGPASSFILE)`);
  }
  if (e.code === '3D000') return new TeamError('invalid', `the database in the URL does not exist on ${where}`);
  if (e.code === '42501') return new TeamError('refused', `permission refused: ${e.message ?? ''}`);
  return new TeamError('refused', e.message ?? String(err));
}

/** Opens a client; the caller ends it. Connection failures become TeamErrors in words. */
export async function connect(url: string, opts: { password?: string; applicationName?: string } = {}): Promise<pg.Client> {
  checkUrl(url);
  // The password goes into the URL: `pg` lets the connection string override a separate `password`.
  const withPassword = new URL(url);
  if (opts.password !== undefined) withPassword.password = encodeURIComponent(opts.password);
  const client = new pg.Client({
    connectionString: withPassword.toString(),
    application_name: opts.applicationName ?? 'claimdesk',
    connectionTimeoutMillis: 5000,
    keepAlive: true,
  });
  // An idle client whose server goes away emits 'error'; without a listener that would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const version = Number(rows[0]?.v ?? 0);
    if (version < MIN_SERVER_VERSION) {
      throw new TeamError(
        'too_old',
        `the team server runs PostgreSQL ${Math.floor(version / 10000)}; Claimdesk needs PostgreSQL 15 or newer`,
      );
    }
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw describeError(err, url);
  }
}
