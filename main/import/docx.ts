import mammoth from 'mammoth';
import { titleAndBody } from './plain.js';
import { checkZipLimits } from './zip-limits.js';
import { ReadError, type ParsedArticle } from './types.js';

/** Word documents: paragraph text (mammoth); the first paragraph is the title. */
export async function parseDocxArticle(bytes: Uint8Array, fallbackTitle: string): Promise<ParsedArticle> {
  checkZipLimits(bytes);
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) }));
  } catch (err) {
    throw new ReadError(`not a readable Word document (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  return titleAndBody(value.split(/\n+/), fallbackTitle);
}
