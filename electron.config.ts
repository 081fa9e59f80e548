/**
 * Build config for the three parts (electron-vite): the Node side (Electron
 * main, the HTTP host and the CLI share it), the sandboxed preload (CommonJS,
 * as Electron loads sandboxed preloads as classic scripts) and the renderer.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * In development only, drops renderer/index.html's CSP `<meta>` tag: Vite's dev
 * server needs an inline script and `<style>` elements, which the strict policy
 * refuses, so Electron sends the development policy as a header instead
 * (shared/csp.ts). Built files keep the tag untouched.
 */
const devServerCsp: Plugin = {
  name: 'claimdesk-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('main/hosts/electron/main.ts'),
          serve: resolve('main/hosts/http/serve.ts'),
          cli: resolve('main/cli.ts'),
          'import-worker': resolve('main/import/worker.ts'),
          'read-worker': resolve('main/import/read-worker.ts'),
          service: resolve('main/service-process/entry.ts'),
        },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('main/hosts/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react(), devServerCsp],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      minify: process.env.CLAIMDESK_NO_MINIFY ? false : true,
      sourcemap: false,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
