/**
 * The renderer's only way to the data: a typed proxy over the API contract,
 * speaking to the Electron preload bridge when present, else to the local
 * HTTP host that served this page.
 */
import type { ApiErrorCode, ApiInput, ApiOutput, ApiResult } from '../../shared/api.js';
import { API_METHODS, type ApiEvent, type ApiMethod } from '../../shared/methods.js';
import { reportDamaged } from './library-health.js';

interface Transport {
  invoke(method: ApiMethod, input: unknown): Promise<ApiResult>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

interface ElectronBridge {
  invoke(method: string, input: unknown): Promise<ApiResult>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

/** An API error result, thrown as a typed exception. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'claimdesk.token';

function httpTransport(): Transport {
  // The token arrives once in the URL; keep it for this tab and take it out
  // of the address bar so it is not copied around with the URL.
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  return {
    async invoke(method, input) {
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': token },
          body: JSON.stringify(input),
        });
      } catch {
        return { ok: false, error: { code: 'internal', message: 'Claimdesk’s host is not answering. Is `npm run serve` still running?' } };
      }
      if (res.status === 403) return { ok: false, error: { code: 'forbidden', message: await res.text() } };
      return (await res.json()) as ApiResult;
    },
    onEvent(listener) {
      const source = new EventSource('/api/events');
      source.onmessage = (m: MessageEvent<string>) => listener(JSON.parse(m.data) as ApiEvent);
      return () => source.close();
    },
  };
}

function pickTransport(): Transport {
  const bridge = (window as unknown as { claimdesk?: ElectronBridge }).claimdesk;
  if (bridge) return { invoke: (m, i) => bridge.invoke(m, i), onEvent: (l) => bridge.onEvent(l) };
  return httpTransport();
}

const transport = pickTransport();

export type Api = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

/** `await api['annotations.create']({...})`; throws {@link ApiCallError} on an error result. */
export const api = Object.fromEntries(
  API_METHODS.map((method) => [
    method,
    async (input: unknown) => {
      const result = await transport.invoke(method, input);
      if (!result.ok) {
        if (result.error.code === 'storage' && /damaged/.test(result.error.message)) reportDamaged(result.error.message);
        throw new ApiCallError(result.error.code, result.error.message);
      }
      return result.value;
    },
  ]),
) as Api;

export const onApiEvent = (listener: (e: ApiEvent) => void): (() => void) => transport.onEvent(listener);
