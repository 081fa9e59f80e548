/**
 * Warnings a running host writes to stderr. A log line that cannot be
 * written (a full disk under a redirected stderr, a closed pipe) is dropped:
 * losing a warning must never take the host, and the analyst's work, down.
 */
let guarded = false;

export function warn(text: string): void {
  if (!guarded) {
    // A pipe reports a failed write later, as an 'error' event, which unhandled would end the process.
    process.stderr.on('error', () => undefined);
    guarded = true;
  }
  try {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  } catch {
    // A file reports it at once (ENOSPC, EBADF): nothing better to do with it than drop it.
  }
}
