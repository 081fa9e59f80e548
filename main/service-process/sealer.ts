/**
 * The service process's side of sealing secrets: it cannot reach Electron's
 * safeStorage (a utility process has no keychain access of its own), so it
 * asks its host over the parent channel. A host that keeps no secrets (the
 * HTTP host, a test without one) answers no, and the password then stays in
 * memory only (see main/team/passwords.ts).
 */
import { secretResultSchema } from '../../shared/team.js';
import type { Sealer } from '../team/passwords.js';
import type { Channel } from './messages.js';

export function hostSealer(parent: Channel, timeoutMs = 10_000): Sealer {
  let next = 1;
  const waiting = new Map<number, { ok: (s: string) => void; fail: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  parent.onMessage((raw) => {
    const r = secretResultSchema.safeParse(raw);
    if (!r.success) return;
    const w = waiting.get(r.data.id);
    if (!w) return;
    waiting.delete(r.data.id);
    clearTimeout(w.timer);
    if (r.data.ok) w.ok(r.data.data);
    else w.fail(new Error(r.data.data));
  });
  const ask = (op: 'seal' | 'unseal', data: string) =>
    new Promise<string>((ok, fail) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        fail(new Error('the host did not answer a request to seal a secret'));
      }, timeoutMs);
      waiting.set(id, { ok, fail, timer });
      parent.post({ type: 'secret', id, op, data });
    });
  return { seal: (p) => ask('seal', p), unseal: (s) => ask('unseal', s) };
}
