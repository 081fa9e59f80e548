import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes chunks to `file` atomically: into a temporary file beside it, synced,
 * then renamed over the target. A failure at any step leaves no partial file.
 * Returns the number of bytes written.
 */
export function writeAtomically(file: string, chunks: Iterable<string>): number {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  let bytes = 0;
  try {
    fd = openSync(temp, 'wx', 0o644);
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 1 << 20) {
        bytes += writeSync(fd, buffer);
        buffer = '';
      }
    }
    if (buffer) bytes += writeSync(fd, buffer);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
    return bytes;
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}
