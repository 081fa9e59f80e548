/**
 * Every file the Electron host and its service process open at run time, in
 * the source tree (after `npm run build`) and in a packaged app. Pure, so
 * the packaging test can check each one against electron-builder's config.
 *
 * In a packaged app the code and its packages are in `resources/app.asar`
 * (Electron reads utility processes and worker threads from it); the native
 * SQLite binary is unpacked beside it (`app.asar.unpacked`: a shared library
 * cannot be loaded from inside an archive); the sample articles and the icon
 * are plain files in `resources/`.
 */
import { join } from 'node:path';

export interface Layout {
  /** The built renderer page. */
  rendererIndex: string;
  rendererDir: string;
  preload: string;
  /** The service process's entry. */
  service: string;
  /** The import worker the service starts per job, and the reader thread it reads each file in. */
  importWorker: string;
  readWorker: string;
  seeds: string;
  /** The window icon (Linux; macOS and Windows take theirs from the bundle). */
  icon: string;
  /** better-sqlite3's native binary for this platform, as the service loads it. */
  sqliteBinary: string;
  packageJson: string;
}

/**
 * `appDir`: the app's folder (`app.getAppPath()`: the repository root when
 * unpackaged, `…/resources/app.asar` when packaged). `resourcesDir`:
 * `process.resourcesPath`, used only when packaged.
 */
export function runtimeLayout(
  appDir: string,
  packaged: boolean,
  resourcesDir: string,
  target: { platform: string; arch: string } = process,
): Layout {
  const out = join(appDir, 'out');
  const unpacked = packaged ? `${appDir}.unpacked` : appDir;
  return {
    rendererIndex: join(out, 'renderer', 'index.html'),
    rendererDir: join(out, 'renderer'),
    preload: join(out, 'preload', 'preload.cjs'),
    service: join(out, 'main', 'service.js'),
    importWorker: join(out, 'main', 'import-worker.js'),
    readWorker: join(out, 'main', 'read-worker.js'),
    seeds: packaged ? join(resourcesDir, 'seeds') : join(appDir, 'seeds'),
    icon: packaged ? join(resourcesDir, 'icon.png') : join(appDir, 'build', 'icons', 'icon.png'),
    // better-sqlite3 ships one prebuilt binary per platform and picks it by process.platform and process.arch.
    sqliteBinary: join(unpacked, 'node_modules', 'better-sqlite3', 'prebuilds', `${target.platform}-${target.arch}.node`),
    packageJson: join(appDir, 'package.json'),
  };
}
