/**
 * Files handed to the app by the system: on the command line, through "Open
 * with" (macOS `open-file`) or to a second instance. A colleague's bundle
 * opens the bundle import, articles open the import, a `.db` opens that
 * library. Pure, tested under Node.
 */
import { SUPPORTED_EXTENSIONS } from '../../../shared/import-limits.js';

export type OpenedFile =
  | { kind: 'bundle'; path: string }
  | { kind: 'articles'; path: string }
  | { kind: 'library'; path: string }
  | { kind: 'unknown'; path: string };

/** The extension registered for bundles (a bundle is JSON; `.json` stays a dataset unless it reads as a bundle). */
export const BUNDLE_EXTENSION = '.claimdesk';

const lower = (p: string) => p.toLowerCase();

/**
 * What a file is. `head` is the first bytes of the file as text, when it
 * could be read: a `.json` file that declares `"format": "claimdesk-bundle"`
 * is a bundle, any other `.json` a dataset of articles. `isFolder`: a folder
 * is imported as articles.
 */
export function classifyFile(path: string, head: string | null, isFolder = false): OpenedFile {
  const p = lower(path);
  if (isFolder) return { kind: 'articles', path };
  if (p.endsWith(BUNDLE_EXTENSION)) return { kind: 'bundle', path };
  if (p.endsWith('.db') || p.endsWith('.sqlite')) return { kind: 'library', path };
  if (p.endsWith('.json') && head !== null && /"format"\s*:\s*"claimdesk-bundle"/.test(head)) return { kind: 'bundle', path };
  if (SUPPORTED_EXTENSIONS.some((ext) => p.endsWith(ext))) return { kind: 'articles', path };
  return { kind: 'unknown', path };
}

/**
 * The file arguments in an argv: what follows the app (a packaged app's
 * argv[0] is the app; an unpackaged one has `electron .` first), without
 * switches (`--db FILE` takes its value along; Chromium's `--flags` too).
 */
export function filesFromArgv(argv: readonly string[], isPackaged: boolean): string[] {
  const args = argv.slice(isPackaged ? 1 : 2);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--db') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    out.push(a);
  }
  return out;
}
