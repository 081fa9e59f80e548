/**
 * The messages between a host and its service process, as types only (and
 * the list of saveable methods), so the Electron main process can speak them
 * without loading anything that opens a database.
 */
import type { ApiInput } from '../../shared/api.js';
import type { ApiEvent } from '../../shared/methods.js';
import type { SecretRequest, SecretResult } from '../../shared/team.js';

/** A message channel: a Node child's IPC, an Electron parent port or MessagePortMain. */
export interface Channel {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The API methods whose result is a file to save. */
export const SAVEABLE = ['export.build', 'bundle.export', 'review.exportLog', 'review.exportAgreement'] as const;
export type SaveableMethod = (typeof SAVEABLE)[number];
export type SaveRequest = { [M in SaveableMethod]: { method: M; input: ApiInput<M> } }[SaveableMethod];

/** What a save reports: where it wrote, how much, and the export's own summary. */
export interface SaveOutcome {
  path: string;
  bytes: number;
  summary: string[];
}

/** Messages the service understands; a renderer's port may send only `call`. */
export type Request =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'grant'; id: number; paths: string[] }
  | { type: 'save'; id: number; request: SaveRequest; path: string }
  | { type: 'busy'; id: number }
  | { type: 'close'; id: number };

/** The host's answer to a `secret` request (parent channel only; the service's sealer reads it, not the API). */
export type { SecretResult };

/** Messages from the service: an answer (an ApiResult as JSON), an event, its start-up state, or a request to seal or unseal a secret (parent channel only). */
export type Reply =
  | { type: 'result'; id: number; json: string }
  | SecretRequest
  | { type: 'event'; event: ApiEvent }
  | { type: 'starting'; message: string }
  | { type: 'ready' }
  | { type: 'failed'; message: string };

/** What a call in flight gets when the service process dies before answering it. */
export const LOST_CALL_MESSAGE =
  'The Claimdesk service stopped unexpectedly before answering, and has been restarted. Everything shown as saved is kept; repeat the last action if it did not take.';
