/**
 * Where a member's team password lives. Never in plain text in the library:
 * - with a host that can seal secrets (Electron's `safeStorage`, asked over
 *   the service process's parent channel), the library keeps only the sealed
 *   blob, and the plain password stays in this process's memory;
 * - without one (the HTTP host, the CLI), only in memory for this run; the
 *   next run finds it where PostgreSQL's tools do (`PGPASSWORD`,
 *   `PGPASSFILE` / `~/.pgpass`) or asks again.
 */
import type { Db } from '../store/database.js';
import { clearSealedPassword, getSealedPassword, setSealedPassword } from '../store/team.js';

export interface PasswordStore {
  get(url: string): Promise<string | undefined>;
  set(url: string, password: string): Promise<void>;
  delete(url: string): Promise<void>;
}

/** Seals and unseals secrets with a key the library does not hold (Electron: the OS keychain through safeStorage). */
export interface Sealer {
  seal(plain: string): Promise<string>;
  unseal(sealed: string): Promise<string>;
}

export function memoryPasswords(): PasswordStore {
  const m = new Map<string, string>();
  return {
    get: (u) => Promise.resolve(m.get(u)),
    set: (u, p) => Promise.resolve(void m.set(u, p)),
    delete: (u) => Promise.resolve(void m.delete(u)),
  };
}

/**
 * The password sealed in the library, plain in memory. A host that cannot
 * seal (or unseal: the keychain changed) leaves it in memory only, as
 * `memoryPasswords` does.
 */
export function sealedPasswords(db: Db, sealer: Sealer): PasswordStore {
  const plain = new Map<string, string>();
  return {
    async get(url) {
      const known = plain.get(url);
      if (known !== undefined) return known;
      const sealed = getSealedPassword(db, url);
      if (sealed === null) return undefined;
      try {
        const p = await sealer.unseal(sealed);
        plain.set(url, p);
        return p;
      } catch {
        return undefined;
      }
    },
    async set(url, password) {
      plain.set(url, password);
      let sealed: string;
      try {
        sealed = await sealer.seal(password);
      } catch {
        clearSealedPassword(db);
        return;
      }
      setSealedPassword(db, url, sealed);
    },
    delete(url) {
      plain.delete(url);
      clearSealedPassword(db);
      return Promise.resolve();
    },
  };
}
