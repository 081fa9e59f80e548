/**
 * The application menu as data: a pure function of the platform, whether
 * this is a development run and the recent libraries, tested under Node.
 * `main.ts` turns each item's `command` into a click handler; items with a
 * `role` are Electron's own (cut, copy, paste, zoom, window management).
 */
import type { MenuItemConstructorOptions } from 'electron';

/** What a menu item asks the app to do. */
export type MenuCommand =
  | { kind: 'import' }
  | { kind: 'export'; request: ExportChoice }
  | { kind: 'new-library' }
  | { kind: 'open-library' }
  | { kind: 'open-recent'; path: string }
  | { kind: 'clear-recent' }
  | { kind: 'backups' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'shortcuts' }
  | { kind: 'about' };

export type ExportChoice =
  | { method: 'export.build'; input: { kind: 'claims' | 'instances' | 'annotations' | 'w3c'; format: 'csv' | 'json' | 'jsonl' | 'jsonld' } }
  | { method: 'bundle.export'; input: Record<string, never> };

/** A menu item as the pure builder makes it: Electron's options without click handlers, plus the command to run. */
export interface MenuSpec extends Omit<MenuItemConstructorOptions, 'submenu' | 'click'> {
  command?: MenuCommand;
  submenu?: MenuSpec[];
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development run: View › Reload and the developer tools (a reload wipes the undo history, so never in a packaged app). */
  isDev: boolean;
  /** Recently opened libraries, newest first. */
  recent: readonly string[];
  appName?: string;
}

/**
 * The app's own keys, shown in the menus exactly as the article view takes
 * them (README's key table). Undo and Redo are displayed but not registered
 * with the system: the page handles the keys itself (the app's history in
 * the article, the field's own undo in a text field), so a press is never
 * handled twice.
 */
export const ACCELERATORS = {
  undo: 'CmdOrCtrl+Z',
  redo: 'CmdOrCtrl+Shift+Z',
  import: 'CmdOrCtrl+O',
  exportInstances: 'CmdOrCtrl+E',
  shortcuts: 'F1',
} as const;

const EXPORTS: { label: string; request: ExportChoice }[] = [
  { label: 'Claims table (CSV)…', request: { method: 'export.build', input: { kind: 'claims', format: 'csv' } } },
  { label: 'Claims table (JSON)…', request: { method: 'export.build', input: { kind: 'claims', format: 'json' } } },
  { label: 'Claim instances (CSV)…', request: { method: 'export.build', input: { kind: 'instances', format: 'csv' } } },
  { label: 'Claim instances (JSON)…', request: { method: 'export.build', input: { kind: 'instances', format: 'json' } } },
  { label: 'Annotations (JSONL)…', request: { method: 'export.build', input: { kind: 'annotations', format: 'jsonl' } } },
  { label: 'W3C Web Annotations (JSON-LD)…', request: { method: 'export.build', input: { kind: 'w3c', format: 'jsonld' } } },
  { label: 'My annotations as a bundle…', request: { method: 'bundle.export', input: {} } },
];

/** How a library path is shown in Open Recent: the file name, then its folder. */
export function recentLabel(path: string): string {
  const parts = path.split(/[\\/]/);
  const name = parts.pop() ?? path;
  const folder = parts.join('/') || '/';
  return `${name} — ${folder}`;
}

export function menuTemplate(opts: MenuOptions): MenuSpec[] {
  const mac = opts.platform === 'darwin';
  const name = opts.appName ?? 'Claimdesk';
  const sep: MenuSpec = { type: 'separator' };
  // Access keys (&File) on Windows and Linux; macOS menus have none.
  const m = (label: string) => (mac ? label.replace('&', '') : label);
  const about: MenuSpec = { label: `About ${name}`, command: { kind: 'about' } };

  const appMenu: MenuSpec = {
    label: name,
    submenu: [about, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  };
  const recent: MenuSpec[] = opts.recent.length
    ? [
        ...opts.recent.map((path): MenuSpec => ({ label: recentLabel(path), command: { kind: 'open-recent', path } })),
        sep,
        { label: 'Clear Menu', command: { kind: 'clear-recent' } },
      ]
    : [{ label: 'No recent libraries', enabled: false }];
  const file: MenuSpec = {
    label: m('&File'),
    submenu: [
      { label: 'Import…', accelerator: ACCELERATORS.import, command: { kind: 'import' } },
      {
        label: 'Export',
        submenu: EXPORTS.map(({ label, request }) => ({
          label,
          command: { kind: 'export', request },
          ...(request.method === 'export.build' && request.input.kind === 'instances' && request.input.format === 'csv'
            ? { accelerator: ACCELERATORS.exportInstances }
            : {}),
        })),
      },
      sep,
      { label: 'New Library…', command: { kind: 'new-library' } },
      { label: 'Open Library…', command: { kind: 'open-library' } },
      { label: 'Open Recent', submenu: recent },
      sep,
      { label: 'Backups…', command: { kind: 'backups' } },
      sep,
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };
  const edit: MenuSpec = {
    label: m('&Edit'),
    submenu: [
      { label: 'Undo', accelerator: ACCELERATORS.undo, registerAccelerator: false, command: { kind: 'undo' } },
      { label: 'Redo', accelerator: ACCELERATORS.redo, registerAccelerator: false, command: { kind: 'redo' } },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } satisfies MenuSpec] : []),
      { role: 'selectAll' },
    ],
  };
  const view: MenuSpec = {
    label: m('&View'),
    submenu: [
      ...(opts.isDev
        ? [
            { role: 'reload' } satisfies MenuSpec,
            { role: 'forceReload' } satisfies MenuSpec,
            { role: 'toggleDevTools' } satisfies MenuSpec,
            sep,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuSpec = mac ? { role: 'windowMenu' } : { label: m('&Window'), submenu: [{ role: 'minimize' }, { role: 'close' }] };
  const help: MenuSpec = {
    role: 'help',
    label: m('&Help'),
    submenu: [
      { label: 'Keyboard Shortcuts', accelerator: ACCELERATORS.shortcuts, command: { kind: 'shortcuts' } },
      ...(mac ? [] : [sep, about]),
    ],
  };
  return withIds([...(mac ? [appMenu] : []), file, edit, view, windowMenu, help]);
}

/** A stable id for a command's item (`Menu.getApplicationMenu().getMenuItemById`), e.g. `export.instances.csv`. */
export function commandId(c: MenuCommand): string {
  if (c.kind === 'export')
    return c.request.method === 'bundle.export' ? 'export.bundle' : `export.${c.request.input.kind}.${c.request.input.format}`;
  if (c.kind === 'open-recent') return `open-recent:${c.path}`;
  return c.kind;
}

function withIds(items: MenuSpec[]): MenuSpec[] {
  return items.map((i) => ({
    ...i,
    ...(i.command && !i.id ? { id: commandId(i.command) } : {}),
    ...(i.submenu ? { submenu: withIds(i.submenu) } : {}),
  }));
}

/** Every item of a template, depth first (for tests and for wiring commands). */
export function* menuItems(items: readonly MenuSpec[]): Generator<MenuSpec> {
  for (const item of items) {
    yield item;
    if (item.submenu) yield* menuItems(item.submenu);
  }
}

/** What the right-click menu needs to know about where it was opened (a subset of Electron's ContextMenuParams). */
export interface ContextParams {
  isEditable: boolean;
  selectionText: string;
  misspelledWord: string;
  dictionarySuggestions: readonly string[];
  editFlags: { canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean };
}

/** A right-click item: Electron's role, or a spelling action main carries out. */
export type ContextCommand = { kind: 'replace-misspelling'; word: string } | { kind: 'add-to-dictionary'; word: string };
export interface ContextSpec extends Omit<MenuItemConstructorOptions, 'submenu' | 'click'> {
  contextCommand?: ContextCommand;
}

/**
 * The right-click menu: in a text field, spelling suggestions for a
 * misspelled word (spellcheck is on in note fields, off in the article),
 * then cut/copy/paste/select all; on selected text elsewhere (the article),
 * Copy. Empty where there is nothing to do (no menu is shown).
 */
export function contextMenuTemplate(p: ContextParams): ContextSpec[] {
  const sep: ContextSpec = { type: 'separator' };
  if (p.isEditable) {
    const spelling: ContextSpec[] = p.misspelledWord
      ? [
          ...(p.dictionarySuggestions.length
            ? p.dictionarySuggestions
                .slice(0, 5)
                .map((word): ContextSpec => ({ label: word, contextCommand: { kind: 'replace-misspelling', word } }))
            : [{ label: 'No spelling suggestions', enabled: false } satisfies ContextSpec]),
          { label: `Add “${p.misspelledWord}” to Dictionary`, contextCommand: { kind: 'add-to-dictionary', word: p.misspelledWord } },
          sep,
        ]
      : [];
    return [
      ...spelling,
      { role: 'cut', enabled: p.editFlags.canCut },
      { role: 'copy', enabled: p.editFlags.canCopy },
      { role: 'paste', enabled: p.editFlags.canPaste },
      sep,
      { role: 'selectAll', enabled: p.editFlags.canSelectAll },
    ];
  }
  if (p.selectionText.trim() !== '') return [{ role: 'copy', enabled: p.editFlags.canCopy }];
  return [];
}
