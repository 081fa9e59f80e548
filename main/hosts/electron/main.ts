/**
 * The Electron host: windows, menus, dialogs and the app's life. The library
 * itself (SQLite, imports, exports, backups) is served by the service process
 * (`utilityProcess`); each window talks to it through its own MessagePort, so
 * nothing here waits on the database. Kept thin: the decisions are pure
 * functions beside this file (menu, bounds, open-files, layout, window),
 * tested under Node.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeTheme,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
  type BrowserWindowConstructorOptions,
  type MenuItemConstructorOptions,
  type UtilityProcess,
  type WebContents,
} from 'electron';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_SECURITY_POLICY, developmentContentSecurityPolicy } from '../../../shared/csp.js';
import type { ApiEvent } from '../../../shared/methods.js';
import { userDataDir } from '../../paths.js';
import { SAVEABLE, type SaveRequest } from '../../service-process/messages.js';
import { ServiceSupervisor, type SpawnedService } from '../../service-process/supervisor.js';
import { parseSavedState, restoreBounds, MIN_SIZE, type SavedWindowState } from './bounds.js';
import { runtimeLayout } from './layout.js';
import { contextMenuTemplate, menuTemplate, type ContextSpec, type ExportChoice, type MenuCommand, type MenuSpec } from './menu.js';
import { classifyFile, filesFromArgv, BUNDLE_EXTENSION } from './open-files.js';
import { shouldCheckForUpdates } from './updates.js';
import {
  devServerUrl,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  secureWebPreferences,
} from './window.js';
import { errorMessage } from '../../../shared/errors.js';

// The losing instance of the single-instance lock ends here, before it opens anything; the first one gets its argv.
const primary = app.requestSingleInstanceLock();
if (!primary) app.exit(0);

const layout = runtimeLayout(app.getAppPath(), app.isPackaged, process.resourcesPath);
const appRoot = pathToFileURL(layout.rendererDir + sep).href;
// In development electron-vite serves the renderer and says where (see devServerUrl).
const devServer = devServerUrl(process.env, app.isPackaged);
const appUrl = devServer ?? pathToFileURL(layout.rendererIndex).href;
const policy = devServer ? developmentContentSecurityPolicy(devServer) : CONTENT_SECURITY_POLICY;

// The same folder the browser host and the CLI use (CLAIMDESK_DATA_DIR moves it).
app.setPath('userData', userDataDir());

/** The desktop state kept between runs: window bounds and recent libraries (a small JSON file, not the library). */
interface DesktopState {
  window: SavedWindowState | null;
  recent: string[];
}
const stateFile = () => join(app.getPath('userData'), 'desktop.json');
function readState(): DesktopState {
  try {
    const raw = JSON.parse(readFileSync(stateFile(), 'utf8')) as { window?: unknown; recent?: unknown };
    return {
      window: parseSavedState(raw.window),
      recent: Array.isArray(raw.recent) ? raw.recent.filter((r): r is string => typeof r === 'string').slice(0, 10) : [],
    };
  } catch {
    return { window: null, recent: [] };
  }
}
const state = readState();
function writeState(): void {
  try {
    mkdirSync(dirname(stateFile()), { recursive: true });
    writeFileSync(stateFile(), JSON.stringify(state));
  } catch {
    // Losing the window's place is not worth an error dialog.
  }
}

// ---- the service process ----------------------------------------------------

let library = '';
let child: UtilityProcess | null = null;
let supervisor: ServiceSupervisor | null = null;
let quitting = false;

function spawnService(): SpawnedService {
  const proc = utilityProcess.fork(
    layout.service,
    ['--db', library, '--seeds', layout.seeds, '--worker', layout.importWorker, '--version', app.getVersion()],
    {
      serviceName: 'Claimdesk service',
      stdio: 'inherit',
    },
  );
  child = proc;
  return {
    get pid() {
      return proc.pid;
    },
    channel: { post: (m) => proc.postMessage(m), onMessage: (l) => proc.on('message', l) },
    kill: () => void proc.kill(),
    onExit: (l) => proc.once('exit', (code) => l(code)),
  };
}

/** Hands a window a new port to the current service process. */
function connect(contents: WebContents): void {
  if (!child || contents.isDestroyed()) return;
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ type: 'connect' }, [port2]);
  contents.postMessage('claimdesk:port', null, [port1]);
}

const windows = () => BrowserWindow.getAllWindows();
const send = (channel: string, payload: unknown) => windows().forEach((w) => w.webContents.send(channel, payload));
const focused = () => BrowserWindow.getFocusedWindow() ?? windows()[0] ?? null;

/** Taskbar/dock progress during an import, and a notification when one ends while the window is in the background. */
function onServiceEvent(e: ApiEvent): void {
  if (e.name === 'service.status') send('claimdesk:event', e);
  if (e.name !== 'import.progress' || !e.job) return;
  const { done, total, state: jobState } = e.job;
  for (const w of windows()) w.setProgressBar(jobState === 'running' ? (total > 0 ? done / total : 2) : -1);
  if (jobState !== 'running' && !windows().some((w) => w.isFocused()) && Notification.isSupported()) {
    new Notification({
      title: jobState === 'done' ? 'Import finished' : `Import ${jobState}`,
      body: `${done} of ${total} files read into ${basename(library)}.`,
    }).show();
  }
}

/**
 * The team password, sealed with the OS keychain for the service, which keeps
 * only the sealed blob in the library. Linux without a keyring falls back to
 * a fixed key (`basic_text`), which is no protection: then nothing is sealed
 * and the password lives in memory for the session.
 */
const teamSecrets = {
  seal: (plain: string): string => {
    if (
      !safeStorage.isEncryptionAvailable() ||
      (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
    ) {
      throw new Error('no OS keychain to keep the password in');
    }
    return safeStorage.encryptString(plain).toString('base64');
  },
  unseal: (sealed: string): string => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};

async function openLibrary(path: string): Promise<void> {
  const old = supervisor;
  if (old) {
    if (!(await confirmStop('Open another library'))) return;
    await old.close();
  }
  library = resolve(path);
  state.recent = [library, ...state.recent.filter((r) => r !== library)].slice(0, 10);
  writeState();
  app.addRecentDocument(library);
  buildMenu();
  supervisor = new ServiceSupervisor({
    spawn: spawnService,
    onEvent: onServiceEvent,
    onReady: () => windows().forEach((w) => connect(w.webContents)),
    secrets: teamSecrets,
  });
  // The window is already up and shows the service's progress (a migration or its backup) as status events.
  void supervisor
    .start()
    .catch((err: unknown) => dialog.showErrorBox('Claimdesk could not open the library', `${library}\n\n${errorMessage(err)}`));
  // A window showing the previous library starts over on the new one.
  if (old) windows().forEach((w) => w.webContents.reload());
}

/** Whether work that stopping the service would cut short may be cut short (asks when an import is running). */
async function confirmStop(action: string): Promise<boolean> {
  const busy = (await supervisor?.busy()) ?? { importing: false };
  if (!busy.importing) return true;
  const win = focused();
  const options = {
    type: 'warning' as const,
    buttons: [`${action} and cancel the import`, 'Keep working'],
    defaultId: 1,
    cancelId: 1,
    message: 'An import is still running.',
    detail: 'The files it has finished are kept; the file it is reading now is not stored. You can import the rest again later.',
  };
  const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return response === 0;
}

// ---- files: dialogs, drops, the command line ---------------------------------

async function grant(paths: string[]): Promise<string[]> {
  return supervisor ? supervisor.grant(paths) : [];
}

async function chooseImport(win: BrowserWindow | null, kind: 'files' | 'folder'): Promise<string[]> {
  const options: Electron.OpenDialogOptions = {
    title: kind === 'folder' ? 'Import a folder of articles' : 'Import articles',
    properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
    filters:
      kind === 'folder' ? [] : [{ name: 'Articles', extensions: ['txt', 'md', 'markdown', 'html', 'htm', 'docx', 'pdf', 'json', 'jsonl'] }],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? [] : grant(r.filePaths);
}

type SaveResult =
  { outcome: 'saved'; path: string; bytes: number; summary: string[] } | { outcome: 'cancelled' } | { outcome: 'failed'; message: string };

const SUGGESTED: Record<string, string> = { csv: 'CSV', json: 'JSON', jsonl: 'JSON Lines', jsonld: 'JSON-LD' };

/** The save dialog, then the service writes the file (streamed, atomic); the outcome is what really happened. */
async function saveAs(win: BrowserWindow | null, request: SaveRequest): Promise<SaveResult> {
  if (!supervisor) return { outcome: 'failed', message: 'no library is open' };
  const stamp = new Date().toISOString().slice(0, 10);
  let name: string;
  let ext: string;
  if (request.method === 'export.build') {
    ext = request.input.format;
    name = `claimdesk-${request.input.kind}-${stamp}.${ext}`;
  } else if (request.method === 'bundle.export') {
    ext = 'claimdesk';
    name = `claimdesk-bundle-${request.input.annotator.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-')}-${stamp}${BUNDLE_EXTENSION}`;
  } else {
    ext = request.input.format;
    name = `claimdesk-${request.method === 'review.exportLog' ? 'adjudication-log' : 'agreement'}-${stamp}.${ext}`;
  }
  const options: Electron.SaveDialogOptions = {
    defaultPath: join(app.getPath('documents'), name),
    filters: [
      {
        name: ext === 'claimdesk' ? 'Claimdesk bundle' : (SUGGESTED[ext] ?? ext),
        extensions: ext === 'claimdesk' ? ['claimdesk', 'json'] : [ext],
      },
    ],
  };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return { outcome: 'cancelled' };
  try {
    return { outcome: 'saved', ...(await supervisor.save(request, r.filePath)) };
  } catch (err) {
    return { outcome: 'failed', message: errorMessage(err) };
  }
}

/** Files handed over by the system (argv, Open with, a second instance): each to its place. */
async function openPaths(paths: readonly string[], cwd = process.cwd()): Promise<void> {
  const articles: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      send('claimdesk:command', { kind: 'notice', text: `${path} could not be opened: it does not exist.` });
      continue;
    }
    const opened = classifyFile(path, isFolder ? null : await head(path), isFolder);
    if (opened.kind === 'library') await openLibrary(path);
    else if (opened.kind === 'articles') articles.push(path);
    else if (opened.kind === 'bundle') {
      const [granted] = await grant([path]);
      send('claimdesk:command', { kind: 'bundle', fileName: basename(path), content: readFileSync(granted ?? path, 'utf8') });
    } else
      send('claimdesk:command', {
        kind: 'notice',
        text: `${basename(path)}: Claimdesk opens articles, bundles (${BUNDLE_EXTENSION}) and libraries (.db).`,
      });
  }
  if (articles.length) send('claimdesk:command', { kind: 'import', paths: await grant(articles) });
  focused()?.show();
}

async function head(path: string): Promise<string | null> {
  try {
    const fh = await openFile(path, 'r');
    try {
      const buf = Buffer.alloc(512);
      const { bytesRead } = await fh.read(buf, 0, 512, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

// ---- menus -----------------------------------------------------------------

async function runCommand(c: MenuCommand): Promise<void> {
  const win = focused();
  switch (c.kind) {
    case 'import': {
      const paths = await chooseImport(win, 'files');
      if (paths.length) win?.webContents.send('claimdesk:command', { kind: 'import', paths });
      return;
    }
    case 'export': {
      const request = await exportRequest(c.request);
      if (!request) return;
      const r = await saveAs(win, request);
      win?.webContents.send('claimdesk:command', { kind: 'saved', result: r });
      return;
    }
    case 'new-library': {
      const r = await dialog.showSaveDialog({
        title: 'New library',
        defaultPath: join(app.getPath('documents'), 'claimdesk.db'),
        filters: [{ name: 'Claimdesk library', extensions: ['db'] }],
      });
      if (!r.canceled && r.filePath) await openLibrary(r.filePath);
      return;
    }
    case 'open-library': {
      const r = await dialog.showOpenDialog({
        title: 'Open library',
        properties: ['openFile'],
        filters: [{ name: 'Claimdesk library', extensions: ['db'] }],
      });
      if (!r.canceled && r.filePaths[0]) await openLibrary(r.filePaths[0]);
      return;
    }
    case 'open-recent':
      await openLibrary(c.path);
      return;
    case 'clear-recent':
      state.recent = [];
      writeState();
      app.clearRecentDocuments();
      buildMenu();
      return;
    case 'about':
      app.showAboutPanel();
      return;
    default:
      // backups, undo, redo, shortcuts: the page has them.
      win?.webContents.send('claimdesk:command', { kind: c.kind });
  }
}

/** A bundle is of the annotator this library belongs to; asked of the service, not looked up here. */
async function exportRequest(choice: ExportChoice): Promise<SaveRequest | null> {
  if (choice.method === 'export.build') return choice;
  const info = await supervisor?.dispatch('app.info', {});
  const annotator = info?.ok ? (info.value as { annotator: string | null }).annotator : null;
  if (!annotator) {
    focused()?.webContents.send('claimdesk:command', {
      kind: 'notice',
      text: 'Set your annotator name first: a bundle holds your annotations.',
    });
    return null;
  }
  return { method: 'bundle.export', input: { annotator } };
}

function toElectron(items: readonly MenuSpec[]): MenuItemConstructorOptions[] {
  return items.map(({ command, submenu, ...rest }) => ({
    ...rest,
    ...(command ? { click: () => void runCommand(command) } : {}),
    ...(submenu ? { submenu: toElectron(submenu) } : {}),
  }));
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(toElectron(menuTemplate({ platform: process.platform, isDev: !app.isPackaged, recent: state.recent }))),
  );
}

function showContextMenu(win: BrowserWindow, params: Electron.ContextMenuParams): void {
  const items = contextMenuTemplate(params);
  if (!items.length) return;
  const toItem = ({ contextCommand, ...rest }: ContextSpec): MenuItemConstructorOptions => ({
    ...rest,
    ...(contextCommand
      ? {
          click: () => {
            if (contextCommand.kind === 'replace-misspelling') win.webContents.replaceMisspelling(contextCommand.word);
            else win.webContents.session.addWordToSpellCheckerDictionary(contextCommand.word);
          },
        }
      : {}),
  });
  Menu.buildFromTemplate(items.map(toItem)).popup({ window: win });
}

// ---- windows -----------------------------------------------------------------

function createWindow(): BrowserWindow {
  const { bounds, maximized } = restoreBounds(
    state.window,
    [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
  );
  const options: BrowserWindowConstructorOptions = {
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Claimdesk',
    // Shown as soon as the page paints, before the library is open: it shows the service's progress meanwhile.
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1d1f21' : '#f6f5f2',
    ...(process.platform === 'linux' ? { icon: layout.icon } : {}),
    webPreferences: secureWebPreferences(layout.preload),
  };
  // webPreferences come from secureWebPreferences(), which the scanner cannot follow (window.test.ts asserts contextIsolation and sandbox); a middle click meets the deny-all window-open handler above.
  const win = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK -- see the line above
  if (maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  // Every load (the first, a reload in development) gets its own port once the service is up.
  win.webContents.on('did-finish-load', () => {
    if (supervisor) win.webContents.send('claimdesk:event', { name: 'service.status', status: supervisor.status } satisfies ApiEvent);
    if (supervisor?.status.state === 'ready') connect(win.webContents);
  });
  win.webContents.on('context-menu', (_e, params) => showContextMenu(win, params));
  win.on('close', () => {
    state.window = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    writeState();
  });
  void (devServer ? win.loadURL(devServer) : win.loadFile(layout.rendererIndex));
  return win;
}

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

// ---- IPC from the preload (the page itself reaches only what the preload exposes) ----

function trusted(e: Electron.IpcMainInvokeEvent): boolean {
  return isTrustedSender(e.senderFrame?.url, appUrl);
}
const isPathList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 10_000 && v.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 4096);

function registerIpc(): void {
  // Paths of dropped files, read by the preload with webUtils.getPathForFile from File objects the user dropped.
  ipcMain.handle('claimdesk:grant-dropped', (e, paths: unknown) => (trusted(e) && isPathList(paths) ? grant(paths) : []));
  ipcMain.handle('claimdesk:choose-import', (e, kind: unknown) =>
    trusted(e) ? chooseImport(BrowserWindow.fromWebContents(e.sender), kind === 'folder' ? 'folder' : 'files') : [],
  );
  ipcMain.handle('claimdesk:save', (e, request: unknown): Promise<SaveResult> | SaveResult => {
    const r = request as SaveRequest | null;
    if (!trusted(e) || typeof r !== 'object' || r === null || !(SAVEABLE as readonly string[]).includes(r.method))
      return { outcome: 'failed', message: 'not an export' };
    // The service validates the input with the contract's schema before writing anything.
    return saveAs(BrowserWindow.fromWebContents(e.sender), r);
  });
}

// ---- the app's life ----------------------------------------------------------

const pendingOpen: string[] = [];
let started = false;
// macOS hands files over before `ready` too.
app.on('open-file', (e, path) => {
  e.preventDefault();
  if (started) void openPaths([path]);
  else pendingOpen.push(path);
});
app.on('second-instance', (_e, argv, workingDirectory) => {
  const win = focused();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
  void openPaths(filesFromArgv(argv, app.isPackaged), workingDirectory);
});

void app.whenReady().then(async () => {
  if (!primary) return;
  nativeTheme.themeSource = 'system';
  app.setAboutPanelOptions({
    applicationName: 'Claimdesk',
    applicationVersion: app.getVersion(),
    copyright: 'Claimdesk contributors',
    ...(process.platform === 'linux' ? { iconPath: layout.icon } : {}),
  });
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
  registerIpc();

  const { values } = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    options: { db: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const files = filesFromArgv(process.argv, app.isPackaged);
  const dbFromArgs = typeof values.db === 'string' ? values.db : files.find((f) => classifyFile(f, null).kind === 'library');
  buildMenu();
  // The window first, so it is on screen at once; the library opens behind it.
  createWindow();
  await openLibrary(dbFromArgs ?? state.recent[0] ?? join(app.getPath('userData'), 'claimdesk.db'));
  started = true;
  await supervisor?.whenReady().catch(() => undefined);
  await openPaths([...files.filter((f) => classifyFile(f, null).kind !== 'library'), ...pendingOpen.splice(0)]);
  app.on('activate', () => {
    if (windows().length === 0) createWindow();
  });
  if (
    shouldCheckForUpdates({
      packaged: app.isPackaged,
      updateConfigExists: existsSync(join(process.resourcesPath, 'app-update.yml')),
      env: process.env,
    })
  ) {
    void import('electron-updater').then(({ autoUpdater }) => autoUpdater.checkForUpdatesAndNotify()).catch(() => undefined);
  }
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the service to close the library (asking first if an import would be cut short).
app.on('before-quit', (e) => {
  if (quitting || !supervisor) return;
  e.preventDefault();
  void confirmStop('Quit').then(async (ok) => {
    if (!ok) return;
    quitting = true;
    await supervisor?.close();
    app.quit();
  });
});
