/**
 * One entry point for every format: bytes and a file name in, outcomes out.
 * Never throws: every failure becomes an outcome with a reason.
 */
import { decodeText } from './decode.js';
import { jsonDatasetOutcomes, jsonlOutcomes } from './dataset.js';
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

async function* outcomesOf(fileName: string, bytes: Uint8Array): AsyncGenerator<ReadOutcome> {
  const ext = extensionOf(fileName);
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  switch (ext) {
    case '.txt':
      yield { source: fileName, article: parsePlainArticle(decodeText(bytes).text) };
      return;
    case '.md':
    case '.markdown':
      yield { source: fileName, article: (await import('./markdown.js')).parseMarkdownArticle(decodeText(bytes).text) };
      return;
    case '.html':
    case '.htm':
      // jsdom, Readability and DOMPurify load on the first web page, not with every command that never reads one.
      yield { source: fileName, article: (await import('./html.js')).parseHtmlArticle(decodeText(bytes).text) };
      return;
    case '.docx':
      if (!hasMagic(bytes, 'PK')) throw new ReadError('not a Word document (a .docx file is a zip archive; this one is not)');
      yield { source: fileName, article: await (await import('./docx.js')).parseDocxArticle(bytes, stem) };
      return;
    case '.pdf':
      if (!hasMagic(bytes, '%PDF-', 1024)) throw new ReadError('not a PDF file (no %PDF- header)');
      yield { source: fileName, article: await parsePdfArticle(bytes, stem) };
      return;
    case '.json':
      yield* jsonDatasetOutcomes(decodeText(bytes).text, fileName);
      return;
    case '.jsonl':
      yield* jsonlOutcomes(decodeText(bytes).text, fileName);
      return;
    default:
      throw new ReadError(`not a supported file type (${ext})`);
  }
}

/**
 * Reads one file into articles, one outcome at a time (a dataset's records
 * arrive as they are parsed). A failure part-way ends the stream with an
 * outcome for the file saying why.
 */
export async function* readOutcomes(fileName: string, bytes: Uint8Array): AsyncGenerator<ReadOutcome> {
  const problem = precheck(fileName, bytes.length);
  if (problem) {
    yield { source: fileName, error: problem };
    return;
  }
  try {
    yield* outcomesOf(fileName, bytes);
  } catch (err) {
    if (err instanceof ReadError) yield { source: fileName, error: err.message };
    else {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      yield { source: fileName, error: `could not be read (${message})` };
    }
  }
}

/** Reads one file into articles. `fileName` is used for messages and for the type. */
export async function readArticles(fileName: string, bytes: Uint8Array): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for await (const o of readOutcomes(fileName, bytes)) out.push(o);
  return out;
}
