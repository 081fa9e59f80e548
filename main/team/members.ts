/**
 * Adding a team member: a PostgreSQL login role in the analyst (or reviewer)
 * group. The password never reaches the server in plain text: the client
 * sends a SCRAM-SHA-256 verifier, as `psql`'s `\password` does, so it cannot
 * end up in a server log.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { TeamError } from './connection.js';

/** A SCRAM-SHA-256 verifier for `password` (RFC 5802/7677, PostgreSQL's stored form). */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A password to print once: 24 characters from 18 random bytes. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A member's name is both their database role and the annotator name of their layer. */
export function checkMemberName(name: string): void {
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u.test(name)) {
    throw new TeamError(
      'invalid',
      `"${name.slice(0, 80)}" cannot be a member name: use 1–63 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit`,
    );
  }
  if (name.toLowerCase() === 'gold' || name.toLowerCase().startsWith('pg_') || name.toLowerCase().startsWith('claimdesk')) {
    throw new TeamError('invalid', `"${name}" is reserved; choose another member name`);
  }
}

export async function addMember(client: pg.Client, name: string, opts: { reviewer: boolean; password: string }): Promise<void> {
  checkMemberName(name);
  if (opts.password.length < 8) throw new TeamError('invalid', 'the password is shorter than 8 characters');
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (exists.rowCount) throw new TeamError('invalid', `a database role named "${name}" already exists`);
  const role = client.escapeIdentifier(name);
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(scramVerifier(opts.password))} IN ROLE ${opts.reviewer ? 'claimdesk_reviewer' : 'claimdesk_analyst'}`,
    );
    await client.query('INSERT INTO claimdesk.members (role, annotator) VALUES ($1, $2)', [name, name]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const e = err as { code?: string; message?: string };
    if (e.code === '42501')
      throw new TeamError('refused', `adding members needs a role with CREATEROLE (the team lead): ${e.message ?? ''}`);
    if (e.code === '42P01') throw new TeamError('not_initialised', 'run `claimdesk team init URL` first');
    throw err;
  }
}

/** Who the connected user is in the team: their annotator name and whether they review. */
export async function whoAmI(client: pg.Client): Promise<{ member: string; reviewer: boolean }> {
  const { rows } = await client.query<{ member: string | null; reviewer: boolean }>(
    'SELECT claimdesk.me() AS member, claimdesk.is_reviewer() AS reviewer',
  );
  const r = rows[0];
  if (!r?.member)
    throw new TeamError(
      'not_member',
      'this database user is not a member of the team workspace: the team lead adds members with `claimdesk team add-member NAME`',
    );
  return { member: r.member, reviewer: r.reviewer };
}
