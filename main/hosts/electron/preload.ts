/**
 * The preload bridge. The page gets: `invoke` for allow-listed API methods
 * and `onEvent`, answered by the service process through a MessagePort that
 * main hands over (the port stays here, out of the page's reach); and the
 * desktop's few extras: the paths of files the user dropped, the system's
 * open and save dialogs, and menu commands. Nothing else of Electron or Node
 * reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { isApiMethod, type ApiEvent } from '../../../shared/methods.js';
import { LOST_CALL_MESSAGE } from '../../service-process/messages.js';

type Result = { ok: boolean };
let port: MessagePort | null = null;
let nextId = 1;
const pending = new Map<number, (r: Result) => void>();
const waiting: { id: number; method: string; input: unknown }[] = [];
const listeners = new Set<(e: ApiEvent) => void>();
let lastStatus: ApiEvent | null = null;

function failPending(): void {
  for (const [id, resolve] of pending) {
    if (waiting.some((w) => w.id === id)) continue;
    pending.delete(id);
    resolve({ ok: false, error: { code: 'internal', message: LOST_CALL_MESSAGE } } as Result);
  }
}

function deliver(e: ApiEvent): void {
  if (e.name === 'service.status') {
    lastStatus = e;
    // The service died: answers to calls in flight will never come; new calls wait for the next port.
    if (e.status?.state === 'restarting' || e.status?.state === 'failed') {
      port?.close();
      port = null;
      failPending();
    }
  }
  for (const l of listeners) l(e);
}

ipcRenderer.on('claimdesk:port', (e: IpcRendererEvent) => {
  const [next] = e.ports;
  if (!next) return;
  port?.close();
  failPending();
  port = next;
  next.onmessage = (m: MessageEvent<{ type: string; id?: number; json?: string; event?: ApiEvent }>) => {
    const data = m.data;
    if (data.type === 'result' && typeof data.id === 'number') {
      const resolve = pending.get(data.id);
      pending.delete(data.id);
      resolve?.(JSON.parse(data.json ?? 'null') as Result);
    } else if (data.type === 'event' && data.event) deliver(data.event);
  };
  next.start();
  for (const w of waiting.splice(0)) next.postMessage({ type: 'call', ...w });
});
ipcRenderer.on('claimdesk:event', (_e: IpcRendererEvent, payload: ApiEvent) => deliver(payload));

type Command = { kind: string } & Record<string, unknown>;
const commandListeners = new Set<(c: Command) => void>();
ipcRenderer.on('claimdesk:command', (_e: IpcRendererEvent, c: Command) => commandListeners.forEach((l) => l(c)));

contextBridge.exposeInMainWorld('claimdesk', {
  invoke: (method: string, input: unknown): Promise<unknown> => {
    if (!isApiMethod(method))
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `unknown API method "${method}"` } });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      // Until the service is up (start-up, a restart) calls wait here.
      if (port) port.postMessage({ type: 'call', id, method, input });
      else waiting.push({ id, method, input });
    });
  },
  onEvent: (listener: (e: ApiEvent) => void): (() => void) => {
    listeners.add(listener);
    // A page that subscribes late still learns how the service is doing.
    if (lastStatus) listener(lastStatus);
    return () => listeners.delete(listener);
  },
  desktop: {
    /** Paths of files the user dropped (File objects from a drop; a page cannot make one with a path), granted for import. */
    pathsOfDropped: (files: File[]): Promise<string[]> => {
      const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p !== '');
      return paths.length ? (ipcRenderer.invoke('claimdesk:grant-dropped', paths) as Promise<string[]>) : Promise.resolve([]);
    },
    chooseImport: (kind: 'files' | 'folder'): Promise<string[]> => ipcRenderer.invoke('claimdesk:choose-import', kind) as Promise<string[]>,
    saveAs: (request: { method: string; input: unknown }): Promise<unknown> => ipcRenderer.invoke('claimdesk:save', request),
    onCommand: (listener: (c: Command) => void): (() => void) => {
      commandListeners.add(listener);
      return () => commandListeners.delete(listener);
    },
  },
});
