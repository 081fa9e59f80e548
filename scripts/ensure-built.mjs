// Builds the app when out/ is missing, so `npm run serve` works on a fresh clone.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (!existsSync('out/main/serve.js') || !existsSync('out/renderer/index.html')) {
  process.stderr.write('Building Claimdesk first (out/ is missing)…\n');
  execSync('npx electron-vite build --config electron.config.ts', { stdio: ['ignore', 'ignore', 'inherit'] });
}
