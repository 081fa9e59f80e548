/**
 * The limits that keep one hostile or huge file from hanging, exhausting or
 * flooding an import. Each is listed with its reason in docs/hostile-input.md;
 * keep the two in step.
 */

/** Time a reader may spend on one file before it is stopped and the file reported failed. */
export const FILE_TIME_BUDGET_MS = 60_000;

/** Heap a reader may use for one file; running out fails that file, not the import. */
export const FILE_MEMORY_MB = 1024;

/** Elements in a web page (a long news page has a few thousand). */
export const MAX_HTML_ELEMENTS = 100_000;

/** Nesting depth of a web page (real pages stay under about 60; reader-mode extraction slows sharply with depth). */
export const MAX_HTML_DEPTH = 200;

/** Uncompressed size of one text part (XML) of a Word document. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

/** Uncompressed size of a whole Word document (pictures included). */
export const MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024;

/** Entries in a Word document's zip. */
export const MAX_ZIP_ENTRIES = 10_000;

/** Pages read from a PDF. */
export const MAX_PDF_PAGES = 2_000;

/** A PDF whose first pages have no text at all is reported as a scan without reading the rest. */
export const PDF_EMPTY_PAGES_BEFORE_GIVING_UP = 20;

/** Articles a reader hands over at once (records of a dataset arrive in chunks of this many). */
export const READ_CHUNK = 250;
