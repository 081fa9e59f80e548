/**
 * The Electron host's security decisions as pure functions, so they run and
 * are tested under plain Node: only the Electron *type* is imported here.
 * `main.ts` wires them to the window, the session and IPC.
 */
import type { WebPreferences } from 'electron';

/** The one place every window's webPreferences come from. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // On for note fields (the article's text turns it off for itself: renderer/editor/view.ts).
    spellcheck: true,
  };
}

/** `new URL(url)`, or null where the string is not an absolute URL. */
function parse(url: string | undefined): URL | null {
  if (url === undefined || !URL.canParse(url)) return null;
  return new URL(url);
}

const hasCredentials = (u: URL): boolean => u.username !== '' || u.password !== '';

/**
 * The URL the window may show: the app's own page (`appUrl`: the built
 * index.html, or the dev server's root in development) and nothing else.
 * Compared after WHATWG parsing, so look-alike hosts, `user@host` tricks and
 * `..` segments are judged by what the URL really points at. Query and
 * fragment may differ; credentials may not appear at all.
 */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  const target = parse(url);
  const app = parse(appUrl);
  if (!target || !app || hasCredentials(target)) return false;
  return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname;
}

/** Whether an IPC message comes from the app's own page (Electron checklist item 17). */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  return frameUrl !== undefined && isAllowedNavigation(frameUrl, appUrl);
}

/**
 * The URLs handed to the system browser (`shell.openExternal`): article links.
 * Only well-formed http(s) URLs with a host and no credentials. The string
 * itself must read `http(s)://host…` with no whitespace or control character:
 * the URL parser would quietly drop, re-encode or repair those (`https:///x`
 * becomes `https://x/`) and the browser would open something else.
 */
export function isAllowedExternalUrl(url: string): boolean {
  if (!/^https?:\/\/[^/\\]/i.test(url) || /[\s\u0000-\u001f\u007f-\u009f]/.test(url)) return false;
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !hasCredentials(u);
}

/** Whether a file: pathname could name a different file than it appears to (encoded separators, backslashes). */
const disguisedPath = (pathname: string): boolean => /%2f|%5c|\\/i.test(pathname);

/**
 * The session's request filter (no remote content): the app's own files
 * under `appRoot` (a file: URL of the renderer folder, ending in `/`),
 * DevTools, and in development the dev server's origin (its pages and its
 * hot-reload WebSocket). Everything else, whatever the scheme, is cancelled.
 */
export function isAllowedRequest(url: string, appRoot: string, devServerUrl?: string): boolean {
  const target = parse(url);
  if (!target || hasCredentials(target)) return false;
  if (target.protocol === 'devtools:') return true;
  if (target.protocol === 'file:') {
    const root = parse(appRoot);
    return (
      root !== null &&
      root.protocol === 'file:' &&
      root.pathname.endsWith('/') &&
      target.host === root.host &&
      !disguisedPath(target.pathname) &&
      target.pathname.startsWith(root.pathname)
    );
  }
  const dev = parse(devServerUrl);
  if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:')) return false;
  const socket = dev.protocol === 'https:' ? 'wss:' : 'ws:';
  return (target.protocol === dev.protocol || target.protocol === socket) && target.host === dev.host;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server to load instead of the built files: electron-vite sets
 * `ELECTRON_RENDERER_URL` when it runs the app in development. Honoured only
 * in an unpackaged app and only for an http(s) loopback URL, so an environment
 * variable can never point a shipped Claimdesk at a remote page.
 */
export function devServerUrl(env: Record<string, string | undefined>, isPackaged: boolean): string | undefined {
  const u = isPackaged ? null : parse(env.ELECTRON_RENDERER_URL);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || hasCredentials(u) || !LOOPBACK.has(u.hostname)) return undefined;
  return u.href;
}
