/**
 * What Claimdesk imports, and the checks made before a file is read — shared
 * so the renderer can refuse a 2 GB file before sending it anywhere.
 */

/** Largest file Claimdesk imports. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.docx', '.pdf', '.json', '.jsonl'] as const;

/** The lower-cased extension of a file name or path, with its dot ('' when none). */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** The reason a file cannot be imported, judged by name and size alone; null when it may be. */
export function precheck(fileName: string, size: number): string | null {
  const ext = extensionOf(fileName);
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
    return `not a supported file type (${ext || 'no extension'}); Claimdesk reads ${SUPPORTED_EXTENSIONS.join(' ')}`;
  }
  if (size === 0) return 'the file is empty';
  if (size > MAX_FILE_BYTES) return `the file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit`;
  return null;
}
