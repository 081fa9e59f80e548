/**
 * The packaging configuration (electron-builder.json) against what the app
 * opens at run time. Building installers downloads Electron, which this
 * machine cannot; so this checks, for every target platform, that each path
 * in the packaged layout (runtimeLayout) is put there by the configuration:
 * code files by `files` (inside app.asar) and by the build's entries, the
 * SQLite binary for that platform by `files` and `asarUnpack`, seeds and the
 * icon by `extraResources`. It also validates the configuration with
 * electron-builder's own schema check and checks the fuses the afterPack
 * hook sets.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeLayout, type Layout } from './layout.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  afterPack: string;
  fileAssociations: { ext: string }[];
  linux: { target: string[]; icon: string };
  mac: { target: { target: string }[]; icon: string };
  win: { target: { target: string }[]; icon: string };
  publish: null;
}
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as BuilderConfig;

const TARGETS = [
  { platform: 'linux', arch: 'x64' },
  { platform: 'linux', arch: 'arm64' },
  { platform: 'darwin', arch: 'arm64' },
  { platform: 'darwin', arch: 'x64' },
  { platform: 'win32', arch: 'x64' },
];

/** Whether electron-builder's `files` patterns (later ones win, `!` excludes) take a path relative to the app. */
function filesInclude(rel: string, target: { platform: string; arch: string }): boolean {
  let included = false;
  for (const raw of config.files) {
    const pattern = raw.replaceAll('${platform}', target.platform).replaceAll('${arch}', target.arch);
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (matchesGlob(rel, glob)) included = !negated;
  }
  return included;
}

/** The build's entries (electron.config.ts): what out/main, out/preload and out/renderer will hold. */
function builtFiles(): Set<string> {
  const source = readFileSync(join(root, 'electron.config.ts'), 'utf8');
  const mainInputs = [
    ...source.slice(source.indexOf('main:'), source.indexOf('preload:')).matchAll(/['"]?([\w-]+)['"]?:\s*resolve\('([^']+)'\)/g),
  ].map((m) => m[1] as string);
  const out = new Set(mainInputs.map((name) => `out/main/${name}.js`));
  if (/preload:\s*resolve\('main\/hosts\/electron\/preload\.ts'\)/.test(source) && source.includes("entryFileNames: '[name].cjs'"))
    out.add('out/preload/preload.cjs');
  if (source.includes("input: resolve('renderer/index.html')")) out.add('out/renderer/index.html');
  return out;
}

const APP = '/opt/Claimdesk/resources/app.asar';
const RESOURCES = '/opt/Claimdesk/resources';

describe('the packaged layout', () => {
  for (const target of TARGETS) {
    it(`holds every file the app opens at run time (${target.platform}-${target.arch})`, () => {
      const layout = runtimeLayout(APP, true, RESOURCES, target);
      const built = builtFiles();
      const problems: string[] = [];
      for (const [key, path] of Object.entries(layout) as [keyof Layout, string][]) {
        if (key === 'rendererDir') continue;
        if (path.startsWith(`${APP}.unpacked/`)) {
          const rel = relative(`${APP}.unpacked`, path);
          if (!filesInclude(rel, target)) problems.push(`${key}: ${rel} is not in "files"`);
          if (!config.asarUnpack.some((g) => matchesGlob(rel, g))) problems.push(`${key}: ${rel} is not unpacked ("asarUnpack")`);
          if (!existsSync(join(root, rel))) problems.push(`${key}: ${rel} does not exist to be packed`);
        } else if (path.startsWith(`${APP}/`)) {
          const rel = relative(APP, path);
          if (!filesInclude(rel, target)) problems.push(`${key}: ${rel} is not in "files"`);
          if (rel.startsWith('out/') && !built.has(rel)) problems.push(`${key}: ${rel} is not built by electron.config.ts`);
          if (!rel.startsWith('out/') && !existsSync(join(root, rel))) problems.push(`${key}: ${rel} does not exist`);
        } else if (path.startsWith(`${RESOURCES}/`)) {
          const rel = relative(RESOURCES, path);
          const entry = config.extraResources.find((r) => r.to === rel);
          if (!entry) problems.push(`${key}: ${rel} is not in "extraResources"`);
          else if (!existsSync(join(root, entry.from))) problems.push(`${key}: ${entry.from} does not exist`);
        } else problems.push(`${key}: ${path} is outside the app`);
      }
      expect(problems).toEqual([]);
      // Only this platform's SQLite binary goes in.
      const others = TARGETS.filter((t) => t.platform !== target.platform || t.arch !== target.arch);
      for (const o of others)
        expect(filesInclude(`node_modules/better-sqlite3/prebuilds/${o.platform}-${o.arch}.node`, target)).toBe(false);
    });
  }

  it('ships the sample articles, and the code files are what the build makes (when built)', () => {
    const seeds = config.extraResources.find((r) => r.to === 'seeds');
    expect(seeds?.from).toBe('seeds');
    const layout = runtimeLayout(root, false, RESOURCES);
    if (!existsSync(join(root, 'out', 'main'))) return; // unit tests run before the build in `npm test`
    for (const path of [layout.service, layout.importWorker, layout.readWorker, layout.preload, layout.rendererIndex])
      expect(existsSync(path), path).toBe(true);
    expect(statSync(layout.seeds).isDirectory()).toBe(true);
  });

  it('is a valid electron-builder configuration with installers for each platform, bundles associated, no update checks', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Claimdesk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    for (const icon of [config.mac.icon, config.win.icon, join(config.linux.icon, '512x512.png'), 'build/icons/icon.svg'])
      expect(existsSync(join(root, icon)), icon).toBe(true);
    expect(config.fileAssociations.map((a) => a.ext)).toEqual(['claimdesk']);
    expect(config.publish).toBeNull();
    expect(config.asar).toBe(true);
  });

  it('sets the fuses after packing: no RUN_AS_NODE, encrypted cookies, the app only from its asar', () => {
    const hook = require(join(root, config.afterPack)) as { FUSES: Record<number, boolean> };
    const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
    const fuse = (name: string) => hook.FUSES[FuseV1Options[name] as number];
    expect(fuse('RunAsNode')).toBe(false);
    expect(fuse('EnableCookieEncryption')).toBe(true);
    expect(fuse('OnlyLoadAppFromAsar')).toBe(true);
    expect(fuse('EnableNodeOptionsEnvironmentVariable')).toBe(false);
    expect(fuse('EnableNodeCliInspectArguments')).toBe(false);
  });
});
