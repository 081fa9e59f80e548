import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Claimdesk's package.json: the repository (from source
 * and from out/) or, in a packaged app, `resources/app.asar` (which holds
 * out/ but not seeds/: those are resources beside it).
 */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && (existsSync(join(dir, 'seeds')) || existsSync(join(dir, 'out', 'main')))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the Claimdesk folder (package.json beside seeds/)');
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')`
 * gives for an app named Claimdesk, so both hosts open the same database.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CLAIMDESK_DATA_DIR) return env.CLAIMDESK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Claimdesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Claimdesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Claimdesk');
}

export function defaultDatabasePath(): string {
  return join(userDataDir(), 'claimdesk.db');
}
