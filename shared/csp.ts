/**
 * The Content-Security-Policy for the renderer, in both hosts: nothing but the
 * app's own scripts, styles and API; no inline script or style element, no
 * eval, no remote content of any kind.
 *
 * `style-src 'self'` without 'unsafe-inline' is enough because nothing writes
 * a `style` attribute as markup: React and ProseMirror set styles through the
 * CSSOM (`el.style.x = …`, `el.style.cssText`), which CSP does not govern, and
 * the label colours live in a constructed stylesheet (labelStyles.ts). No
 * image but the favicon, so no `data:` either.
 */
const DIRECTIVES: readonly (readonly [string, ...string[]])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['object-src', "'none'"],
];

const serialise = (directives: readonly (readonly string[])[]): string => directives.map((d) => d.join(' ')).join('; ');

/** The policy as an HTTP header (the HTTP host; Electron's session for every response). */
export const CONTENT_SECURITY_POLICY = serialise(DIRECTIVES);

/**
 * The same policy for the `<meta>` tag in renderer/index.html, which is what
 * governs the page under `file://` in Electron. `frame-ancestors` is left out:
 * browsers ignore it in a `<meta>` tag (and log an error saying so); the
 * header carries it.
 */
export const META_CONTENT_SECURITY_POLICY = serialise(DIRECTIVES.filter(([name]) => name !== 'frame-ancestors'));

/**
 * Development only, for electron-vite's dev server (`devServerOrigin`, e.g.
 * `http://localhost:5173`): Vite injects the React refresh preamble as an
 * inline script and imported CSS as `<style>` elements, and reloads over a
 * WebSocket. Never used by a packaged app or the HTTP host.
 */
export function developmentContentSecurityPolicy(devServerOrigin: string): string {
  const origin = new URL(devServerOrigin);
  const socket = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return serialise(
    DIRECTIVES.map(([name, ...sources]) => {
      if (name === 'script-src' || name === 'style-src') return [name, ...sources, "'unsafe-inline'"];
      if (name === 'connect-src') return [name, ...sources, socket];
      return [name, ...sources];
    }),
  );
}

/**
 * A policy's directives, name (lower-cased) to source list, as a browser
 * reads them: the first occurrence of a name wins, empty entries are skipped.
 */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/[\t\n\f\r ]+/);
    if (!name) continue;
    const key = name.toLowerCase();
    if (!directives.has(key)) directives.set(key, sources);
  }
  return directives;
}
