/**
 * The Electron host: one secure window showing the renderer, IPC answered by
 * the shared dispatcher. Kept thin; everything else runs under plain Node.
 */
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_SECURITY_POLICY, developmentContentSecurityPolicy } from '../../../shared/csp.js';
import { defaultDatabasePath, userDataDir } from '../../paths.js';
import { openService, type Service } from '../../service.js';
import { devServerUrl, isAllowedExternalUrl, isAllowedNavigation, isAllowedRequest, isTrustedSender, secureWebPreferences } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const indexHtml = join(rendererDir, 'index.html');
const appRoot = pathToFileURL(rendererDir + sep).href;
// In development electron-vite serves the renderer and says where (see devServerUrl).
const devServer = devServerUrl(process.env, app.isPackaged);
const appUrl = devServer ?? pathToFileURL(indexHtml).href;
const policy = devServer ? developmentContentSecurityPolicy(devServer) : CONTENT_SECURITY_POLICY;

app.setPath('userData', userDataDir());
if (!app.requestSingleInstanceLock()) app.quit();

let service: Service | null = null;

/** Navigation, new windows and webviews, refused for every web contents the app ever gets. */
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, appUrl)) e.preventDefault();
  });
  contents.on('will-frame-navigate', (e) => {
    if (!isAllowedNavigation(e.url, appUrl)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  // Article links (target=_blank, middle click) open in the system browser when they pass the allow-list; no window is ever created.
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(new URL(url).href); // eng-disable OPEN_EXTERNAL_JS_CHECK -- only http(s) URLs without credentials reach it, per isAllowedExternalUrl (window.test.ts)
    return { action: 'deny' };
  });
});

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK -- webPreferences come from secureWebPreferences(), which the scanner cannot follow (window.test.ts asserts contextIsolation and sandbox); a middle click meets the deny-all window-open handler above
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    title: 'Claimdesk',
    show: false,
    webPreferences: secureWebPreferences(join(here, '..', 'preload', 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void (devServer ? win.loadURL(devServer) : win.loadFile(indexHtml));
  return win;
}

void app.whenReady().then(() => {
  const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { db: { type: 'string' } }, strict: false });
  service = openService(typeof values.db === 'string' ? values.db : defaultDatabasePath());
  const svc = service;

  // No permission is ever granted, asked for or reported as held (checklist item 5).
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // DevTools brings its own policy; everything else the session loads gets the app's.
    if (details.url.startsWith('devtools:')) return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, appRoot, devServer) });
  });

  ipcMain.handle('claimdesk:invoke', (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, appUrl)) return { ok: false, error: { code: 'forbidden', message: 'IPC from an unknown frame' } };
    return svc.dispatch(String(method), input);
  });
  svc.subscribe((e) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send('claimdesk:event', e)));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  // Build the claims table once while the window loads, so the Claims tab opens at once.
  setTimeout(() => void svc.dispatch('claims.table', { limit: 1 }), 0);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});
app.on('window-all-closed', () => {
  service?.close();
  service = null;
  app.quit();
});
