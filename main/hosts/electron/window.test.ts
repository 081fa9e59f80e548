import { describe, expect, it } from 'vitest';
import {
  devServerUrl,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  secureWebPreferences,
} from './window.js';

const APP = 'file:///opt/Claimdesk/resources/app/out/renderer/index.html';
const APP_ROOT = 'file:///opt/Claimdesk/resources/app/out/renderer/';
const DEV = 'http://localhost:5173/';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/preload.cjs');

  it('isolates and sandboxes the page, with no Node anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/preload.cjs');
  });

  it('keeps web security on and every opt-in weakening off or absent', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent ?? false).toBe(false);
    expect(prefs.experimentalFeatures ?? false).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop ?? false).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.plugins ?? false).toBe(false);
    expect(prefs.safeDialogs ?? true).not.toBe(false);
    expect(prefs.enableWebSQL ?? false).toBe(false);
  });

  it('sets nothing else: a new option has to be added here on purpose', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app page itself, also with a query, a fragment or a resolved `..`', () => {
    expect(isAllowedNavigation(APP, APP)).toBe(true);
    expect(isAllowedNavigation(`${APP}?view=claims#top`, APP)).toBe(true);
    expect(isAllowedNavigation('file:///opt/Claimdesk/resources/app/out/main/../renderer/index.html', APP)).toBe(true);
    expect(isAllowedNavigation(DEV, DEV)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173', DEV)).toBe(true);
  });

  it('refuses other local files, including ones next to the app page', () => {
    expect(isAllowedNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Claimdesk/resources/app/out/renderer/other.html', APP)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Claimdesk/resources/app/out/renderer/index.html/', APP)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Claimdesk/resources/app/out/renderer/index%2Ehtml', APP)).toBe(false);
    expect(isAllowedNavigation('file://evil.example/opt/Claimdesk/resources/app/out/renderer/index.html', APP)).toBe(false);
  });

  it('refuses the web and other schemes', () => {
    for (const url of [
      'https://example.com/',
      'http://example.com/opt/Claimdesk/resources/app/out/renderer/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:file:///3f1c',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'chrome://settings',
      'ftp://example.com/',
    ]) {
      expect(isAllowedNavigation(url, APP), url).toBe(false);
    }
  });

  it('refuses look-alike hosts and ports around the dev server', () => {
    for (const url of [
      'http://localhost.evil.example:5173/',
      'http://localhost:5173.evil.example/',
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost:5173/other',
      'ws://localhost:5173/',
    ]) {
      expect(isAllowedNavigation(url, DEV), url).toBe(false);
    }
  });

  it('judges userinfo tricks by the real host and refuses credentials outright', () => {
    expect(isAllowedNavigation('http://localhost:5173@evil.example/', DEV)).toBe(false);
    expect(isAllowedNavigation('http://evil.example@localhost:5173/', DEV)).toBe(false);
    expect(isAllowedNavigation('http://user:pass@localhost:5173/', DEV)).toBe(false);
    expect(isAllowedNavigation('http:\\\\evil.example\\', DEV)).toBe(false);
  });

  it('refuses malformed URLs and a malformed app URL', () => {
    for (const url of [
      '',
      'index.html',
      '/opt/Claimdesk/resources/app/out/renderer/index.html',
      '//localhost:5173/',
      'http://',
      'http://[::1',
      'file',
      ' ',
    ]) {
      expect(isAllowedNavigation(url, APP), JSON.stringify(url)).toBe(false);
    }
    expect(isAllowedNavigation(APP, 'not a url')).toBe(false);
    expect(isAllowedNavigation(APP, '')).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts IPC only from the app page', () => {
    expect(isTrustedSender(APP, APP)).toBe(true);
    expect(isTrustedSender(DEV, DEV)).toBe(true);
  });

  it('refuses a missing frame, another page or a blank frame', () => {
    expect(isTrustedSender(undefined, APP)).toBe(false);
    expect(isTrustedSender('', APP)).toBe(false);
    expect(isTrustedSender('about:blank', APP)).toBe(false);
    expect(isTrustedSender('https://example.com/', APP)).toBe(false);
    expect(isTrustedSender('file:///tmp/evil.html', APP)).toBe(false);
    expect(isTrustedSender('http://localhost:5173@evil.example/', DEV)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows ordinary article links', () => {
    expect(isAllowedExternalUrl('https://www.politico.eu/article/us-ukraine-peace-deal/')).toBe(true);
    expect(isAllowedExternalUrl('http://example.com/a?b=c#d')).toBe(true);
    expect(isAllowedExternalUrl('https://xn--bcher-kva.example/')).toBe(true);
    expect(isAllowedExternalUrl('https://example.com:8443/path%20with%20space')).toBe(true);
  });

  it('refuses every scheme but http and https', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'smb://attacker.example/share',
      'ms-msdt:/id PCWDiagnostic',
      'mailto:someone@example.com',
      'ftp://example.com/',
      'vbscript:msgbox',
      'blob:https://example.com/3f1c',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('refuses credentials and userinfo tricks', () => {
    expect(isAllowedExternalUrl('https://user:pass@example.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://www.politico.eu@evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://:secret@example.com/')).toBe(false);
  });

  it('refuses malformed URLs and strings the parser would quietly rewrite', () => {
    for (const url of [
      '',
      'example.com',
      '//example.com/',
      'https://',
      'https:///path',
      'http:example.com',
      'https:\\\\example.com\\',
      'https://exa mple.com/',
      ' https://example.com/',
      'https://example.com/\n',
      'java\tscript:alert(1)',
      'https://example.com/\u0000',
      'https://example.com/\u2028',
      'https://[::1',
    ]) {
      expect(isAllowedExternalUrl(url), JSON.stringify(url)).toBe(false);
    }
  });
});

describe('isAllowedRequest', () => {
  it('allows the app’s own files and DevTools', () => {
    expect(isAllowedRequest(APP, APP_ROOT)).toBe(true);
    expect(isAllowedRequest(`${APP_ROOT}assets/index-Dz7hRxB8.js`, APP_ROOT)).toBe(true);
    expect(isAllowedRequest(`${APP_ROOT}favicon.svg`, APP_ROOT)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', APP_ROOT)).toBe(true);
  });

  it('refuses other local files, also through `..`, encoded separators or a look-alike folder', () => {
    for (const url of [
      'file:///etc/passwd',
      `${APP_ROOT}../main/index.js`,
      `${APP_ROOT}%2e%2e/main/index.js`,
      `${APP_ROOT}..%2f..%2fmain%2findex.js`,
      `${APP_ROOT}..%5cmain%5cindex.js`,
      'file:///opt/Claimdesk/resources/app/out/renderer-evil/index.js',
      'file:///opt/Claimdesk/resources/app/out/renderer',
      'file://evil.example/opt/Claimdesk/resources/app/out/renderer/index.html',
    ]) {
      expect(isAllowedRequest(url, APP_ROOT), url).toBe(false);
    }
  });

  it('refuses the network: any host, any scheme', () => {
    for (const url of [
      'https://example.com/x.js',
      'http://127.0.0.1:8080/',
      'ws://example.com/',
      'wss://example.com/',
      'ftp://example.com/',
      'chrome://gpu',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isAllowedRequest(url, APP_ROOT), url).toBe(false);
    }
  });

  it('needs a folder URL as the app root', () => {
    expect(isAllowedRequest(APP, APP)).toBe(false);
    expect(isAllowedRequest(APP, 'http://localhost:5173/')).toBe(false);
    expect(isAllowedRequest(APP, 'nonsense')).toBe(false);
  });

  it('in development also allows the dev server’s origin and its hot-reload socket, nothing near it', () => {
    expect(isAllowedRequest('http://localhost:5173/', APP_ROOT, DEV)).toBe(true);
    expect(isAllowedRequest('http://localhost:5173/@vite/client', APP_ROOT, DEV)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/?token=abc', APP_ROOT, DEV)).toBe(true);
    for (const url of [
      'http://localhost:5174/',
      'https://localhost:5173/',
      'wss://localhost:5173/',
      'http://localhost.evil.example:5173/',
      'http://localhost:5173@evil.example/',
      'http://u:p@localhost:5173/',
      'https://example.com/',
    ]) {
      expect(isAllowedRequest(url, APP_ROOT, DEV), url).toBe(false);
    }
    expect(isAllowedRequest('http://localhost:5173/', APP_ROOT)).toBe(false);
    expect(isAllowedRequest('http://localhost:5173/', APP_ROOT, 'file:///tmp/')).toBe(false);
  });
});

describe('devServerUrl', () => {
  it('takes electron-vite’s loopback dev server in an unpackaged app', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://[::1]:5173/' }, false)).toBe('http://[::1]:5173/');
  });

  it('ignores it when packaged, unset, remote, credentialed or not http(s)', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devServerUrl({}, false)).toBeUndefined();
    for (const url of [
      'https://example.com/',
      'http://localhost.evil.example:5173/',
      'http://localhost:5173@evil.example/',
      'http://u:p@localhost:5173/',
      'file:///tmp/index.html',
      'javascript:alert(1)',
      'localhost:5173',
      '',
    ]) {
      expect(devServerUrl({ ELECTRON_RENDERER_URL: url }, false), url).toBeUndefined();
    }
  });
});
