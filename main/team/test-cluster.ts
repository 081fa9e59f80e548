/**
 * A throwaway PostgreSQL cluster for tests, the e2e and the bench: `initdb`
 * into a temporary folder as the unprivileged `postgres` user (PostgreSQL
 * refuses to run as root), `pg_ctl` on 127.0.0.1 and a free port, stopped
 * and removed by `stop()`. Debian's `postgresql` package provides the binaries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestCluster {
  /** The superuser's URL (user `lead`), database `team`. */
  url: string;
  port: number;
  dir: string;
  /** The URL of `user` with `password` on the same database. */
  urlFor: (user: string, password: string) => string;
  /** Stops the server (fast shutdown) without removing its data; `start()` brings it back on the same port. */
  pause: () => void;
  start: () => void;
  /** Stops the server and removes its folder. */
  stop: () => void;
}

export const LEAD_PASSWORD = 'lead-secret';

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql');
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const last = versions.at(-1);
  if (!last) throw new Error('no initdb under /usr/lib/postgresql/*/bin');
  return join(root, last, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** Runs a PostgreSQL binary as `postgres` when we are root, else as ourselves. */
function runPg(bin: string, args: string[]): void {
  const asRoot = userInfo().uid === 0;
  const cmd = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export async function startTestCluster(opts: { database?: string } = {}): Promise<TestCluster> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'claimdesk-pg-'));
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const pw = join(dir, 'pw');
  writeFileSync(pw, `${LEAD_PASSWORD}\n`);
  if (userInfo().uid === 0) execFileSync('chown', ['postgres', pw]);
  const data = join(dir, 'data');
  runPg(join(bin, 'initdb'), ['-D', data, '-A', 'scram-sha-256', `--pwfile=${pw}`, '-U', 'lead', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const pause = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  const database = opts.database ?? 'team';
  const base = (user: string, password: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  // The database the team lives in; `createdb` over the socket folder, as the lead.
  const env = { ...process.env, PGPASSWORD: LEAD_PASSWORD };
  const r = spawnSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'lead', database], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
  let stopped = false;
  return {
    url: base('lead', LEAD_PASSWORD),
    port,
    dir,
    urlFor: base,
    pause,
    start,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped (a test paused it): the folder goes all the same.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
