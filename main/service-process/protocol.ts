/**
 * The service process's side of its message channels. The same code serves
 * Electron's `utilityProcess` (its parent port, and one MessagePortMain per
 * renderer) and a Node child process (its IPC channel), so what runs here is
 * tested under plain Node.
 *
 * A renderer's port may only call API methods (validated by the dispatcher
 * like any other input). The parent's channel, which only the host holds,
 * may also grant paths the user chose, save an export to a file the user
 * chose, ask whether work is running and close the service.
 */
import { contract } from '../../shared/api.js';
import { serializeResult } from '../serialize.js';
import type { Service } from '../service.js';
import { SAVEABLE, type Channel, type Reply, type Request } from './messages.js';
import { saveToFile } from './save.js';
import { errorMessage } from '../../shared/errors.js';

export type { Channel, Reply, Request };

const PRIVILEGED = new Set(['grant', 'save', 'busy', 'close']);

function isRequest(m: unknown): m is Request {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { type?: unknown; id?: unknown };
  return typeof r.type === 'string' && Number.isSafeInteger(r.id) && (r.type === 'call' || PRIVILEGED.has(r.type));
}

const failure = (id: number, code: string, message: string): Reply => ({
  type: 'result',
  id,
  json: JSON.stringify({ ok: false, error: { code, message } }),
});
const success = (id: number, value: unknown): Reply => ({ type: 'result', id, json: JSON.stringify({ ok: true, value }) });

/**
 * Answers one channel. `privileged` is true only for the parent's channel.
 * `onClose` runs after the service closed on the parent's request (the
 * process exits there).
 */
export function serveChannel(service: Service, channel: Channel, opts: { privileged: boolean; onClose?: () => void }): () => void {
  const unsubscribe = service.subscribe((event) => channel.post({ type: 'event', event } satisfies Reply));
  channel.onMessage((m) => {
    if (!isRequest(m)) return;
    if (m.type !== 'call' && !opts.privileged) {
      channel.post(failure(m.id, 'forbidden', `"${m.type}" is for the host only`));
      return;
    }
    void answer(service, m).then(
      (reply) => {
        channel.post(reply);
        if (m.type === 'close') opts.onClose?.();
      },
      (err: unknown) => channel.post(failure(m.id, 'internal', errorMessage(err))),
    );
  });
  return unsubscribe;
}

async function answer(service: Service, m: Request): Promise<Reply> {
  switch (m.type) {
    case 'call':
      return { type: 'result', id: m.id, json: serializeResult(await service.dispatch(String(m.method), m.input)) };
    case 'grant':
      if (!Array.isArray(m.paths) || !m.paths.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 4096))
        return failure(m.id, 'invalid_input', 'grant: a list of paths');
      return success(m.id, service.grants.grant(m.paths));
    case 'save': {
      if (typeof m.path !== 'string' || m.path === '' || !m.request || !SAVEABLE.includes(m.request.method))
        return failure(m.id, 'invalid_input', 'save: an export request and a path');
      const parsed = contract[m.request.method].input.safeParse(m.request.input);
      if (!parsed.success) return failure(m.id, 'invalid_input', `save: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
      try {
        return success(m.id, await saveToFile(service, m.request, m.path));
      } catch (err) {
        return failure(m.id, err instanceof RangeError ? 'invalid_input' : 'storage', errorMessage(err));
      }
    }
    case 'busy':
      return success(m.id, { importing: service.imports.running });
    case 'close':
      await service.closeWhenIdle();
      return success(m.id, { closed: true });
  }
}
