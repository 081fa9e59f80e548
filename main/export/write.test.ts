import * as nodeFs from 'node:fs';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support.js';
import { writeAtomically, type WriteFs } from './write.js';

let dir: { dir: string; cleanup: () => void };
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = join(dir.dir, 'claims.csv');
  writeFileSync(file, 'the previous export\n');
});
afterEach(() => dir.cleanup());

const errno = (code: string, syscall: string) => Object.assign(new Error(`${code}: ${syscall} failed`), { code, syscall });

/** The real file system, but `step` fails (on its `nth` call) with `code`. */
function failing(step: keyof WriteFs, code: string, nth = 1): WriteFs {
  let calls = 0;
  return new Proxy(nodeFs, {
    get(target, name: string) {
      const real = (target as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      if (name !== step || typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        if (++calls === nth) throw errno(code, name);
        return real(...args);
      };
    },
  }) as WriteFs;
}

const leftovers = () => readdirSync(dir.dir).filter((f) => f !== 'claims.csv');
const big = () => Array.from({ length: 3 }, (_, i) => `${String(i).repeat(700_000)}\n`);

describe('an export that fails at any step', () => {
  const cases: [keyof WriteFs, string, number, RegExp][] = [
    ['openSync', 'EACCES', 1, /permission denied \(EACCES\)/],
    ['openSync', 'EROFS', 1, /the disk is read-only \(EROFS\)/],
    ['writeSync', 'ENOSPC', 1, /the disk is full \(ENOSPC\)/],
    ['writeSync', 'ENOSPC', 2, /the disk is full \(ENOSPC\)/],
    ['writeSync', 'EIO', 2, /a disk input\/output error \(EIO\)/],
    ['fsyncSync', 'EIO', 1, /a disk input\/output error \(EIO\)/],
    ['fsyncSync', 'EDQUOT', 1, /quota/],
    ['closeSync', 'EIO', 1, /input\/output error/],
    ['renameSync', 'EACCES', 1, /permission denied/],
    ['renameSync', 'EXDEV', 1, /EXDEV/],
  ];
  it.each(cases)('%s failing with %s (call %i) leaves the previous file and no temporary file', (step, code, nth, problem) => {
    let error: Error | undefined;
    try {
      writeAtomically(file, big(), failing(step, code, nth));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toContain(`could not write ${file}:`);
    expect(error?.message).toMatch(problem);
    expect((error as NodeJS.ErrnoException).code).toBe(code);
    expect(readFileSync(file, 'utf8')).toBe('the previous export\n');
    expect(leftovers()).toEqual([]);
  });

  it('a failing source of chunks leaves the previous file and names the problem', () => {
    function* chunks() {
      yield 'half';
      throw new Error('the query failed');
    }
    expect(() => writeAtomically(file, chunks())).toThrow(`could not write ${file}: the query failed`);
    expect(readFileSync(file, 'utf8')).toBe('the previous export\n');
    expect(leftovers()).toEqual([]);
  });

  it('a missing folder is named as such', () => {
    expect(() => writeAtomically(join(dir.dir, 'missing', 'x.csv'), ['a'])).toThrow(
      /could not write .*missing\/x\.csv: the folder does not exist \(ENOENT\)/,
    );
  });
});

describe('a successful export', () => {
  it('writes everything even when the disk takes less than asked at a time', () => {
    const short: WriteFs = new Proxy(nodeFs, {
      get(target, name: string) {
        const real = (target as unknown as Record<string, unknown>)[name];
        if (name !== 'writeSync') return real;
        // At most 1000 bytes per call, as a nearly full disk or a signal may make it.
        return (fd: number, data: Buffer, offset: number, length: number) => nodeFs.writeSync(fd, data, offset, Math.min(length, 1000));
      },
    }) as WriteFs;
    const chunks = ['héllo 😀\n', 'x'.repeat(5000), '\n=end'];
    expect(writeAtomically(file, chunks, short)).toBe(Buffer.byteLength(chunks.join('')));
    expect(readFileSync(file, 'utf8')).toBe(chunks.join(''));
    expect(leftovers()).toEqual([]);
  });
});
