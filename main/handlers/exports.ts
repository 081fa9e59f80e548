/** Exports built in memory for the renderer's download (the CLI and the desktop's save dialog stream the same builders to a file). */
import { ApiFailure } from '../errors.js';
import { buildExport, type ExportFormat, type ExportKind } from '../export/exporters.js';
import type { HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

export function exportHandlers({ db }: HandlerContext): HandlersOf<'export.build'> {
  return {
    'export.build': ({ kind, format, bom, layer }) => {
      let built;
      try {
        built = buildExport(db, kind as ExportKind, format as ExportFormat, { bom, layer: layer ?? null });
      } catch (err) {
        if (err instanceof RangeError) throw new ApiFailure('invalid_input', err.message);
        throw err;
      }
      return { fileName: built.fileName, mimeType: built.mimeType, content: [...built.chunks].join(''), summary: built.summary };
    },
  };
}
