/**
 * Saving an export to a file the user chose in the system's save dialog:
 * streamed and atomic (a temporary file beside it, synced, then renamed), so
 * a failed or interrupted save leaves no partial file and the old one as it
 * was. Only the host's own channel can ask for it, with a path from a dialog.
 */
import { call } from '../api.js';
import { buildExport, type ExportFormat, type ExportKind } from '../export/exporters.js';
import { writeAtomically } from '../export/write.js';
import type { Service } from '../service.js';
import type { SaveOutcome, SaveRequest } from './messages.js';

export async function saveToFile(service: Service, request: SaveRequest, path: string): Promise<SaveOutcome> {
  if (request.method === 'export.build') {
    const { kind, format, bom } = request.input;
    // Streamed: the export's rows are read and written a chunk at a time, never joined into one string.
    const built = buildExport(service.db, kind as ExportKind, format as ExportFormat, { bom });
    const bytes = writeAtomically(path, built.chunks);
    return { path, bytes, summary: built.summary };
  }
  const r =
    request.method === 'bundle.export'
      ? await call(service.dispatch, 'bundle.export', request.input)
      : request.method === 'review.exportLog'
        ? { ...(await call(service.dispatch, 'review.exportLog', request.input)), summary: [] }
        : { ...(await call(service.dispatch, 'review.exportAgreement', request.input)), summary: [] };
  const bytes = writeAtomically(path, [r.content]);
  return { path, bytes, summary: r.summary };
}
