#!/usr/bin/env node
// The `claimdesk` command: runs the built CLI (build it first with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('claimdesk: not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
