/**
 * `claimdesk team …`: setting up a team workspace (the lead) and linking a
 * library to it (each analyst).
 *   team init URL                         create or migrate the team schema and roles
 *   team add-member NAME [--reviewer] [--password-file FILE] [--url URL]
 *   team join URL [--password-file FILE]  link this library and run the first sync
 *   team sync                             one push and pull
 *   team status                           where this library stands
 *   team leave                            unlink (the library keeps everything)
 */
import { readFileSync } from 'node:fs';
import { teamStatusText, type TeamStatus } from '../shared/team.js';
import type { Service } from './service.js';
import { getSetting, setSetting } from './store/settings.js';
import { connect, redactUrl, TeamError } from './team/connection.js';
import { addMember, generatePassword } from './team/members.js';
import { migrateTeam } from './team/schema.js';

export const TEAM_USAGE = `  claimdesk team init URL [--db FILE]   create (or migrate) the team schema and roles in an existing
                                         PostgreSQL >= 15 database, as its owner (the team lead)
  claimdesk team add-member NAME [--reviewer] [--password-file FILE] [--url URL] [--db FILE]
                                         add an analyst (a database role); without --password-file a
                                         password is generated and printed once; URL defaults to the
                                         one given to team init
  claimdesk team join URL [--password-file FILE] [--db FILE]
                                         link this library to the workspace as the URL's user and sync
  claimdesk team sync [--db FILE]        push this library's changes and pull colleagues'
  claimdesk team status [--db FILE]      synced when, changes waiting, refused changes
  claimdesk team leave [--db FILE]       unlink this library (it keeps everything it holds)
  Passwords: in the URL, PGPASSWORD, or PGPASSFILE / ~/.pgpass, as for psql; TLS with ?sslmode=…`;

export interface TeamCliValues {
  reviewer?: boolean;
  'password-file'?: string;
  url?: string;
}

function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TeamError(
      'invalid',
      `cannot read the password file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) throw new TeamError('invalid', `${file}: the first line (the password) is empty`);
  return password;
}

function printStatus(s: TeamStatus): void {
  process.stdout.write(`${teamStatusText(s)}\n`);
  if (s.joined)
    process.stdout.write(
      `  workspace: ${s.url}\n  member: ${s.member}${s.reviewer ? ' (reviewer)' : ''}\n  last synced: ${s.lastSyncedAt ?? 'never'}\n  changes waiting: ${s.waiting}\n`,
    );
  for (const r of s.refused) process.stdout.write(`  ✗ refused ${r.at}: ${r.what} — ${r.reason}\n`);
}

/** Runs one team subcommand; `open` opens the library (only the commands that need one do). */
export async function runTeam(positionals: string[], values: TeamCliValues, open: () => Service): Promise<number> {
  const [sub, arg, ...extra] = positionals;
  const fail = (message: string, code = 2) => {
    process.stderr.write(`claimdesk team ${sub ?? ''}: ${message}\n`);
    return code;
  };
  if (extra.length > 0) return fail(`unexpected ${extra.join(' ')}`);
  try {
    switch (sub) {
      case 'init': {
        if (!arg) return fail('give the database URL: claimdesk team init postgres://LEAD@HOST:PORT/DATABASE');
        const client = await connect(arg, { applicationName: 'claimdesk-team-init' });
        try {
          const { from, to } = await migrateTeam(client);
          process.stdout.write(
            from === to
              ? `team schema already at version ${to}: nothing to do\n`
              : `team schema ${from === 0 ? 'created' : `migrated from version ${from}`} at version ${to} in ${redactUrl(arg)}\n`,
          );
        } finally {
          await client.end().catch(() => undefined);
        }
        const svc = open();
        try {
          setSetting(svc.db, 'team_admin_url', redactUrl(arg));
        } finally {
          svc.close();
        }
        process.stdout.write('next: claimdesk team add-member NAME [--reviewer] for each analyst\n');
        return 0;
      }
      case 'add-member': {
        if (!arg) return fail('give the member’s name: claimdesk team add-member NAME [--reviewer]');
        let url = values.url;
        if (!url) {
          const svc = open();
          try {
            url = getSetting(svc.db, 'team_admin_url') ?? undefined;
          } finally {
            svc.close();
          }
        }
        if (!url) return fail('no team database known here: run claimdesk team init URL first, or give --url URL');
        const generated = values['password-file'] === undefined;
        const password = generated ? generatePassword() : readPasswordFile(values['password-file'] ?? '');
        const client = await connect(url, { applicationName: 'claimdesk-team-admin' });
        try {
          await addMember(client, arg, { reviewer: values.reviewer ?? false, password });
        } finally {
          await client.end().catch(() => undefined);
        }
        const joinUrl = new URL(redactUrl(url));
        joinUrl.username = encodeURIComponent(arg);
        process.stdout.write(
          `added ${arg} as ${values.reviewer ? 'a reviewer' : 'an analyst'}\n  join with: claimdesk team join ${joinUrl.toString()}\n`,
        );
        if (generated) process.stdout.write(`  password (shown once, not stored anywhere): ${password}\n`);
        return 0;
      }
      case 'join': {
        if (!arg) return fail('give the workspace URL: claimdesk team join postgres://NAME@HOST:PORT/DATABASE');
        const password = values['password-file'] ? readPasswordFile(values['password-file']) : undefined;
        const svc = open();
        try {
          let shown = -1;
          const s = await svc.team.join(arg, {
            password,
            onProgress: (p) => {
              const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
              if (pct !== shown) process.stderr.write(`\rpulling ${p.done} of ${p.total} rows (${pct} %)`);
              shown = pct;
            },
          });
          if (shown >= 0) process.stderr.write('\n');
          printStatus(s);
          if (password === undefined && !new URL(arg).password && !process.env.PGPASSWORD) {
            process.stdout.write('  (the password is not stored in the library: later syncs read PGPASSWORD or ~/.pgpass)\n');
          }
          return s.state === 'synced' ? 0 : 1;
        } finally {
          svc.close();
        }
      }
      case 'sync':
      case 'status':
      case 'leave': {
        if (arg) return fail(`unexpected ${arg}`);
        const svc = open();
        try {
          if (sub === 'status') {
            const s = svc.team.status();
            printStatus(s);
            return s.joined ? 0 : 1;
          }
          if (sub === 'leave') {
            printStatus(await svc.team.leave());
            return 0;
          }
          if (!svc.team.status().joined) return fail('this library is not in a team workspace: claimdesk team join URL', 1);
          const s = await svc.team.syncNow();
          printStatus(s);
          return s.state === 'synced' && s.refused.length === 0 ? 0 : 1;
        } finally {
          svc.close();
        }
      }
      default:
        return fail(`unknown subcommand ${sub ?? '(none)'}\n${TEAM_USAGE}`);
    }
  } catch (err) {
    if (err instanceof TeamError) return fail(err.message, 1);
    throw err;
  }
}
