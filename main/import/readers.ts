/**
 * One entry point for every format: bytes and a file name in, outcomes out.
 * Never throws: every failure becomes an outcome with a reason.
 */
import { decodeText } from './decode.js';
import { parseJsonDataset, parseJsonl } from './dataset.js';
import { parsePdfArticle } from './pdf.js';
import { parsePlainArticle } from './plain.js';
import { extensionOf, precheck } from '../../shared/import-limits.js';
import { ReadError, type ReadOutcome } from './types.js';

export { precheck };

/** Whether `ascii` opens the data (or, with `within`, appears in its first `within` bytes). */
function hasMagic(bytes: Uint8Array, ascii: string, within = 0): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, within + ascii.length));
  const at = head.indexOf(ascii, 0, 'latin1');
  return within > 0 ? at >= 0 : at === 0;
}

/** Reads one file into articles. `fileName` is used for messages and for the type. */
export async function readArticles(fileName: string, bytes: Uint8Array): Promise<ReadOutcome[]> {
  const problem = precheck(fileName, bytes.length);
  if (problem) return [{ source: fileName, error: problem }];
  const ext = extensionOf(fileName);
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  try {
    switch (ext) {
      case '.txt':
        return [{ source: fileName, article: parsePlainArticle(decodeText(bytes).text) }];
      case '.md':
      case '.markdown':
        return [{ source: fileName, article: parsePlainArticle(decodeText(bytes).text, { markdown: true }) }];
      case '.html':
      case '.htm':
        // jsdom, Readability and DOMPurify load on the first web page, not with every command that never reads one.
        return [{ source: fileName, article: (await import('./html.js')).parseHtmlArticle(decodeText(bytes).text) }];
      case '.docx':
        if (!hasMagic(bytes, 'PK')) throw new ReadError('not a Word document (a .docx file is a zip archive; this one is not)');
        return [{ source: fileName, article: await (await import('./docx.js')).parseDocxArticle(bytes, stem) }];
      case '.pdf':
        if (!hasMagic(bytes, '%PDF-', 1024)) throw new ReadError('not a PDF file (no %PDF- header)');
        return [{ source: fileName, article: await parsePdfArticle(bytes, stem) }];
      case '.json':
        return parseJsonDataset(decodeText(bytes).text, fileName);
      case '.jsonl':
        return parseJsonl(decodeText(bytes).text, fileName);
      default:
        throw new ReadError(`not a supported file type (${ext})`);
    }
  } catch (err) {
    if (err instanceof ReadError) return [{ source: fileName, error: err.message }];
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return [{ source: fileName, error: `could not be read (${message})` }];
  }
}
