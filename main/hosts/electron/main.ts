/**
 * The Electron host: one secure window showing the renderer, IPC answered by
 * the shared dispatcher. Kept thin; everything else runs under plain Node.
 */
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';
import { defaultDatabasePath, userDataDir } from '../../paths.js';
import { openService, type Service } from '../../service.js';
import { isAllowedNavigation, secureWebPreferences } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const indexHtml = join(here, '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(indexHtml).toString();

app.setPath('userData', userDataDir());
if (!app.requestSingleInstanceLock()) app.quit();

let service: Service | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    title: 'Claimdesk',
    show: false,
    webPreferences: secureWebPreferences(join(here, '..', 'preload', 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, appUrl)) e.preventDefault();
  });
  win.webContents.on('will-frame-navigate', (e) => {
    if (!isAllowedNavigation(e.url, appUrl)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const u = URL.canParse(url) ? new URL(url) : null;
    if (u && (u.protocol === 'https:' || u.protocol === 'http:')) void shell.openExternal(u.toString());
    return { action: 'deny' };
  });
  void win.loadFile(indexHtml);
  return win;
}

void app.whenReady().then(() => {
  const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { db: { type: 'string' } }, strict: false });
  service = openService(typeof values.db === 'string' ? values.db : defaultDatabasePath());
  const svc = service;

  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !details.url.startsWith('file://') && !details.url.startsWith('devtools://') });
  });

  ipcMain.handle('claimdesk:invoke', (event, method: unknown, input: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAllowedNavigation(frameUrl, appUrl)) return { ok: false, error: { code: 'forbidden', message: 'IPC from an unknown frame' } };
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
