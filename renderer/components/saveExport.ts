import { api } from '../api/client.js';
import { describeSave, desktop, type SaveRequest } from '../api/desktop.js';
import { download } from './download.js';

const MIME: Record<string, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  jsonl: 'application/jsonl',
  jsonld: 'application/ld+json',
};

/**
 * Saves an export and says what happened. In Electron: the system's save
 * dialog, then the service writes the file (streamed, atomic) and the answer
 * is the real outcome. In a browser the file goes to the browser's download,
 * whose outcome the page cannot know, so it says so instead of "Saved".
 */
export async function saveExport(request: SaveRequest): Promise<string[]> {
  if (desktop) {
    const r = await desktop.saveAs(request);
    return [describeSave(r), ...(r.outcome === 'saved' ? r.summary : [])];
  }
  let file: { fileName: string; content: string; summary: string[]; mimeType?: string };
  switch (request.method) {
    case 'export.build':
      file = await api['export.build'](request.input);
      break;
    case 'bundle.export':
      file = await api['bundle.export'](request.input);
      break;
    case 'review.exportLog':
      file = { ...(await api['review.exportLog'](request.input)), summary: [] };
      break;
    case 'review.exportAgreement':
      file = { ...(await api['review.exportAgreement'](request.input)), summary: [] };
      break;
  }
  download(file.fileName, file.mimeType ?? MIME[file.fileName.split('.').pop() ?? ''] ?? 'application/octet-stream', file.content);
  return [`Handed ${file.fileName} to the browser's downloads (the browser saves it or asks where).`, ...file.summary];
}
