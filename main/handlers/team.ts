/** API handlers for the team workspace: status, joining, syncing now, leaving, dismissing refused changes. */
import type { ApiOutput } from '../../shared/api.js';
import { ApiFailure } from '../errors.js';
import { TeamError } from '../team/connection.js';
import type { TeamSync } from '../team/sync.js';

const CODES = {
  invalid: 'invalid_input',
  auth: 'forbidden',
  refused: 'forbidden',
  not_member: 'forbidden',
  offline: 'conflict',
  too_old: 'conflict',
  newer_schema: 'conflict',
  not_initialised: 'conflict',
} as const;

async function wrap<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TeamError) throw new ApiFailure(CODES[err.kind], err.message);
    throw err;
  }
}

export function teamHandlers(team: TeamSync | undefined) {
  const need = (): TeamSync => {
    if (!team) throw new ApiFailure('conflict', 'this host runs without the team workspace');
    return team;
  };
  return {
    'team.status': (): ApiOutput<'team.status'> => need().status(),
    'team.join': ({ url, password }: { url: string; password?: string }) => wrap(() => need().join(url, { password })),
    'team.sync': () => wrap(() => need().syncNow()),
    'team.leave': () => wrap(() => need().leave()),
    'team.dismissRefused': ({ ids }: { ids: number[] | 'all' }) => need().dismiss(ids),
  };
}
