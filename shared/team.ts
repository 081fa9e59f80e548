/** The team workspace's status, as the top bar, `claimdesk team status` and the API carry it. */
import { z } from 'zod';

export const TEAM_STATES = ['off', 'syncing', 'synced', 'waiting', 'offline', 'error'] as const;
export type TeamState = (typeof TEAM_STATES)[number];

/**
 * The service process asking its host to seal or unseal the team password
 * (Electron: safeStorage), and the host's answer. The password is at most a
 * few hundred characters; a sealed blob is base64.
 */
export const secretRequestSchema = z
  .object({ type: z.literal('secret'), id: z.number().int().positive(), op: z.enum(['seal', 'unseal']), data: z.string().min(1).max(4096) })
  .strict();
export const secretResultSchema = z
  .object({ type: z.literal('secret-result'), id: z.number().int().positive(), ok: z.boolean(), data: z.string().max(8192) })
  .strict();
export type SecretRequest = z.infer<typeof secretRequestSchema>;
export type SecretResult = z.infer<typeof secretResultSchema>;

export const teamRefusalSchema = z.object({ id: z.number().int(), what: z.string(), reason: z.string(), at: z.string() });

export const teamStatusSchema = z.object({
  joined: z.boolean(),
  /** The workspace's URL without its password. */
  url: z.string().nullable(),
  member: z.string().nullable(),
  reviewer: z.boolean(),
  state: z.enum(TEAM_STATES),
  lastSyncedAt: z.string().nullable(),
  /** Local changes not yet on the server. */
  waiting: z.number().int(),
  /** What went wrong, in words (wrong password, server too old, permission refused, cannot reach…). */
  error: z.string().nullable(),
  /** Changes the server refused, newest first; kept until dismissed. */
  refused: z.array(teamRefusalSchema),
  /** A long pull (joining): rows done of total. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
});
export type TeamStatus = z.infer<typeof teamStatusSchema>;
export type TeamRefusal = z.infer<typeof teamRefusalSchema>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line in words: what the top bar shows and `claimdesk team status` prints. */
export function teamStatusText(
  s: TeamStatus,
  time: (iso: string) => string = (iso) => iso.slice(0, 16).replace('T', ' '),
  opts: { short?: boolean } = {},
): string {
  if (!s.joined) return 'Not in a team workspace';
  const waiting = s.waiting > 0 ? `${plural(s.waiting, 'change')} waiting` : '';
  const refused = s.refused.length > 0 ? `, ${plural(s.refused.length, 'change')} refused` : '';
  switch (s.state) {
    case 'syncing':
      return s.progress && s.progress.total > 0
        ? `Syncing… ${s.progress.done} of ${s.progress.total}`
        : `Syncing…${waiting ? ` (${waiting})` : ''}${refused}`;
    case 'offline':
      return `Offline${waiting ? ` — ${waiting}` : ''}${s.error && !opts.short ? ` (${s.error})` : ''}${refused}`;
    case 'error':
      return `Sync error: ${s.error ?? 'unknown'}${waiting ? ` — ${waiting}` : ''}${refused}`;
    case 'waiting':
      return `${waiting[0]?.toUpperCase()}${waiting.slice(1)}${refused}`;
    case 'synced':
      return `Synced${s.lastSyncedAt ? ` ${time(s.lastSyncedAt)}` : ''}${refused}`;
    default:
      return 'Not in a team workspace';
  }
}
