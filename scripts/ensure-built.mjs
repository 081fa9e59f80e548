// Builds the app when out/ is missing or older than its sources, so `npm run serve` and
// `npm run bench` never run a stale build (a build older than the schema it meets refuses the database).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

const OUTPUTS = ['out/main/serve.js', 'out/main/index.js', 'out/renderer/index.html'];
const SOURCES = ['main', 'shared', 'renderer', 'electron.config.ts', 'package.json'];

/** The newest modification time under `path` (source files only; tests and fixtures do not go into the build). */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'fixtures' || e.name.includes('.test.')) continue;
    t = Math.max(t, newest(join(path, e.name)));
  }
  return t;
}

const missing = OUTPUTS.some((f) => !existsSync(f));
const built = missing ? 0 : Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
const stale = !missing && SOURCES.some((s) => existsSync(s) && newest(s) > built);
if (missing || stale) {
  process.stderr.write(`Building Claimdesk first (out/ is ${missing ? 'missing' : 'older than the sources'})…\n`);
  execSync('npx electron-vite build --config electron.config.ts', { stdio: ['ignore', 'ignore', 'inherit'] });
}
