// `npm start`: opens the Electron window; where the Electron binary is missing
// (it downloads at install time and cannot here), says so and serves the
// browser host instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const dir = require.resolve('electron/package.json').replace(/package\.json$/, '');
    const pathFile = `${dir}path.txt`;
    if (!existsSync(pathFile)) return null;
    const bin = `${dir}dist/${readFileSync(pathFile, 'utf8').trim()}`;
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (bin) {
  const child = spawn(bin, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write('Electron is not installed here (its binary could not be downloaded); opening the browser host instead.\n');
  const child = spawn(process.execPath, ['out/main/serve.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    const text = chunk.toString();
    process.stdout.write(text);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(text)?.[0];
    if (url && (process.env.DISPLAY || process.platform !== 'linux')) {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [url], { stdio: 'ignore', detached: true })
        .on('error', () => {})
        .unref();
    }
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
