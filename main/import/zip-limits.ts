/**
 * Checks a zip archive (a .docx) against the size limits before it is
 * unpacked: the sizes its directory declares, then the real inflated size of
 * each text part (a directory can lie), inflating with an output cap so a
 * bomb stops at the limit instead of filling memory.
 */
import { inflateRawSync } from 'node:zlib';
import { MAX_ZIP_ENTRIES, MAX_ZIP_ENTRY_BYTES, MAX_ZIP_TOTAL_BYTES } from './limits.js';
import { ReadError } from './types.js';

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Throws a ReadError naming the limit when the archive is over one; a damaged archive is left for the unzipper to report. */
export function checkZipLimits(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new ReadError('the Word document is a ZIP64 archive, which is only needed past the size limits');
  if (count > MAX_ZIP_ENTRIES)
    throw new ReadError(
      `the Word document holds ${count.toLocaleString('en')} parts, over the ${MAX_ZIP_ENTRIES.toLocaleString('en')} limit`,
    );
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return;
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (size === 0xffffffff || compressed === 0xffffffff)
      throw new ReadError('the Word document is a ZIP64 archive, which is only needed past the size limits');
    total += size;
    if (total > MAX_ZIP_TOTAL_BYTES) throw new ReadError(`the Word document unpacks to more than ${mb(MAX_ZIP_TOTAL_BYTES)} (the limit)`);
    if (!/\.(xml|rels)$/i.test(name)) continue;
    if (size > MAX_ZIP_ENTRY_BYTES)
      throw new ReadError(`the Word document's part ${name} unpacks to ${mb(size)}, over the ${mb(MAX_ZIP_ENTRY_BYTES)} limit`);
    if (method !== 8 || local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) continue;
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    try {
      inflateRawSync(buf.subarray(dataStart, dataStart + compressed), { maxOutputLength: MAX_ZIP_ENTRY_BYTES });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new ReadError(
          `the Word document's part ${name} unpacks to more than ${mb(MAX_ZIP_ENTRY_BYTES)} (the limit), though it claims ${mb(size)}`,
        );
      // A damaged part is left for the unzipper, which names the problem.
    }
  }
}
