/** What the operating system's error codes mean, in words an analyst can act on: the one table for every file the app reads or writes. */
const PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'a disk input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many open files',
};

/** The system error code of `err` (ENOSPC, EACCES…), if it has one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The problem in words for a system error, or undefined when the code is not one we know. */
export function systemProblem(err: unknown): string | undefined {
  const code = errnoCode(err);
  return code === undefined ? undefined : PROBLEMS[code];
}
