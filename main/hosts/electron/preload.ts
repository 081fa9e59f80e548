/**
 * The preload bridge: `invoke` for allow-listed API methods and one event
 * subscription. Nothing else of Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isApiMethod, type ApiEvent } from '../../../shared/methods.js';

contextBridge.exposeInMainWorld('claimdesk', {
  invoke: (method: string, input: unknown): Promise<unknown> => {
    if (!isApiMethod(method)) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `unknown API method "${method}"` } });
    return ipcRenderer.invoke('claimdesk:invoke', method, input) as Promise<unknown>;
  },
  onEvent: (listener: (e: ApiEvent) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on('claimdesk:event', wrapped);
    return () => ipcRenderer.removeListener('claimdesk:event', wrapped);
  },
});
