import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../../shared/errors.js';
import { errnoCode, systemProblem } from '../system-errors.js';

/** The file-system calls an atomic write makes; tests pass one that fails at a chosen step. */
export type WriteFs = Pick<typeof nodeFs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync'>;

/** An error naming the file and the problem in words, keeping the system's code and the original error. */
function writeError(file: string, err: unknown): Error {
  const code = errnoCode(err);
  // A write creates its file, so a missing path is a missing folder.
  const problem = (code === 'ENOENT' ? 'the folder does not exist' : systemProblem(err)) ?? errorMessage(err);
  const error = new Error(`could not write ${file}: ${problem}${code ? ` (${code})` : ''}; the previous file, if any, is unchanged`, {
    cause: err,
  });
  if (code) (error as NodeJS.ErrnoException).code = code;
  return error;
}

/**
 * Writes chunks to `file` atomically: into a temporary file beside it, synced,
 * then renamed over the target, and the folder synced so the rename survives a
 * power cut. A failure at any step leaves no partial file and the previous
 * file as it was; the error names the file and the problem. Returns the
 * number of bytes written.
 */
export function writeAtomically(file: string, chunks: Iterable<string>, fs: WriteFs = nodeFs): number {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  let bytes = 0;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 1 << 20) {
        bytes += writeAll(fs, fd, buffer);
        buffer = '';
      }
    }
    if (buffer) bytes += writeAll(fs, fd, buffer);
    fs.fsyncSync(fd);
    const open = fd;
    fd = null; // never closed twice, even if closing fails
    fs.closeSync(open);
    fs.renameSync(temp, file);
  } catch (err) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the temporary file goes next.
      }
    }
    fs.rmSync(temp, { force: true });
    throw writeError(file, err);
  }
  syncFolder(dirname(file));
  return bytes;
}

/** Writes all of `text`: writeSync may write less than asked. */
function writeAll(fs: WriteFs, fd: number, text: string | Uint8Array): number {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let written = 0;
  while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
  return written;
}

/** Makes a rename durable; not every platform can open a folder (Windows cannot), and then there is nothing to do. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = nodeFs.openSync(dir, 'r');
    nodeFs.fsyncSync(fd);
  } catch {
    // The file is in place; only its durability across a power cut is less certain.
  } finally {
    if (fd !== null) nodeFs.closeSync(fd);
  }
}

/**
 * The push form of writeAtomically, for a writer that produces its text in
 * callbacks: write() as it comes, then commit() (synced and renamed into
 * place) or abort() (the temporary file removed). Same guarantees.
 */
export class AtomicWriter {
  private readonly temp: string;
  private fd: number | null;
  private buffer = '';
  bytes = 0;

  constructor(
    private readonly file: string,
    private readonly fs: WriteFs = nodeFs,
  ) {
    this.temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      this.fd = fs.openSync(this.temp, 'wx', 0o644);
    } catch (err) {
      throw writeError(file, err);
    }
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 20) this.flush();
  }

  /** Writes bytes already encoded (after any text written before them); `data` may be reused once this returns. */
  writeBytes(data: Uint8Array): void {
    if (this.buffer) this.flush();
    if (this.fd === null) throw new Error(`${this.file}: written after it was committed or aborted`);
    try {
      this.bytes += writeAll(this.fs, this.fd, data);
    } catch (err) {
      this.abort();
      throw writeError(this.file, err);
    }
  }

  private flush(): void {
    if (this.fd === null) throw new Error(`${this.file}: written after it was committed or aborted`);
    try {
      this.bytes += writeAll(this.fs, this.fd, this.buffer);
      this.buffer = '';
    } catch (err) {
      this.abort();
      throw writeError(this.file, err);
    }
  }

  commit(): number {
    if (this.buffer) this.flush();
    const fd = this.fd;
    if (fd === null) throw new Error(`${this.file}: committed twice or after an abort`);
    try {
      this.fs.fsyncSync(fd);
      this.fd = null;
      this.fs.closeSync(fd);
      this.fs.renameSync(this.temp, this.file);
    } catch (err) {
      this.abort();
      throw writeError(this.file, err);
    }
    syncFolder(dirname(this.file));
    return this.bytes;
  }

  abort(): void {
    if (this.fd !== null) {
      try {
        this.fs.closeSync(this.fd);
      } catch {
        // Already failing; the temporary file goes next.
      }
      this.fd = null;
    }
    this.buffer = '';
    this.fs.rmSync(this.temp, { force: true });
  }
}
