import { describe, expect, it } from 'vitest';
import { ACCELERATORS, contextMenuTemplate, menuItems, menuTemplate, recentLabel, type MenuSpec } from './menu.js';

const labels = (items: readonly MenuSpec[] | undefined) => (items ?? []).map((i) => i.label ?? i.role ?? i.type);
const top = (items: MenuSpec[], name: string) => items.find((i) => (i.label ?? '').replace('&', '') === name);

describe('the application menu', () => {
  it('on macOS starts with the app menu: About, Hide, Quit', () => {
    const menu = menuTemplate({ platform: 'darwin', isDev: false, recent: [] });
    expect(menu[0]?.label).toBe('Claimdesk');
    const app = labels(menu[0]?.submenu);
    expect(app[0]).toBe('About Claimdesk');
    expect(app).toEqual(expect.arrayContaining(['hide', 'hideOthers', 'quit']));
    expect(
      labels(menu)
        .map(String)
        .map((l) => l.replace('&', '')),
    ).toEqual(['Claimdesk', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
    // No access-key ampersands on macOS.
    expect([...menuItems(menu)].some((i) => (i.label ?? '').includes('&'))).toBe(false);
  });

  it('elsewhere has no app menu; About is under Help and Exit under File', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const menu = menuTemplate({ platform, isDev: false, recent: [] });
      expect(labels(menu)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
      expect(labels(top(menu, 'Help')?.submenu)).toContain('About Claimdesk');
      expect(top(menu, 'File')?.submenu?.at(-1)).toMatchObject({ role: 'quit' });
    }
  });

  it('File has Import…, Export ›, New/Open library, Open Recent and Backups…, each a command', () => {
    const file = top(menuTemplate({ platform: 'linux', isDev: false, recent: ['/home/d/work/claimdesk.db', '/tmp/other.db'] }), 'File');
    expect(labels(file?.submenu).filter((l) => l !== 'separator')).toEqual([
      'Import…',
      'Export',
      'New Library…',
      'Open Library…',
      'Open Recent',
      'Backups…',
      'E&xit',
    ]);
    const items = file?.submenu ?? [];
    expect(items.find((i) => i.label === 'Import…')?.command).toEqual({ kind: 'import' });
    const exports = items.find((i) => i.label === 'Export')?.submenu ?? [];
    expect(exports.length).toBe(7);
    expect(exports.every((i) => i.command?.kind === 'export' && i.label?.endsWith('…'))).toBe(true);
    const recent = items.find((i) => i.label === 'Open Recent')?.submenu ?? [];
    expect(recent[0]).toMatchObject({
      label: 'claimdesk.db — /home/d/work',
      command: { kind: 'open-recent', path: '/home/d/work/claimdesk.db' },
    });
    expect(recent.at(-1)?.command).toEqual({ kind: 'clear-recent' });
    const empty = top(menuTemplate({ platform: 'linux', isDev: false, recent: [] }), 'File')?.submenu?.find(
      (i) => i.label === 'Open Recent',
    );
    expect(empty?.submenu).toEqual([{ label: 'No recent libraries', enabled: false }]);
  });

  it("routes Undo and Redo to the app's history, showing the app's keys without taking them from the page", () => {
    const edit = top(menuTemplate({ platform: 'win32', isDev: false, recent: [] }), 'Edit')?.submenu ?? [];
    expect(edit[0]).toMatchObject({ label: 'Undo', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, command: { kind: 'undo' } });
    expect(edit[1]).toMatchObject({
      label: 'Redo',
      accelerator: 'CmdOrCtrl+Shift+Z',
      registerAccelerator: false,
      command: { kind: 'redo' },
    });
    expect(edit.map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
    // No Edit item uses the native undo role: that would bypass the app's history.
    expect(
      [...menuItems(menuTemplate({ platform: 'darwin', isDev: true, recent: [] }))].some((i) => i.role === 'undo' || i.role === 'redo'),
    ).toBe(false);
  });

  it('offers reload and developer tools only in development (a reload wipes the undo history)', () => {
    const roles = (isDev: boolean) => [...menuItems(menuTemplate({ platform: 'linux', isDev, recent: [] }))].map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('forceReload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('shows each accelerator once, and Help has the keyboard shortcuts', () => {
    const accels = [...menuItems(menuTemplate({ platform: 'linux', isDev: false, recent: [] }))].map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
    expect(accels).toEqual(expect.arrayContaining(Object.values(ACCELERATORS)));
    const help = top(menuTemplate({ platform: 'linux', isDev: false, recent: [] }), 'Help')?.submenu ?? [];
    expect(help[0]).toMatchObject({ label: 'Keyboard Shortcuts', command: { kind: 'shortcuts' } });
  });

  it('labels recent libraries by file name and folder', () => {
    expect(recentLabel('C:\\Users\\d\\lib.db')).toBe('lib.db — C:/Users/d');
  });
});

describe('the right-click menu', () => {
  const flags = { canCut: true, canCopy: true, canPaste: true, canSelectAll: true };
  it('offers Copy on selected article text, and nothing where there is nothing to do', () => {
    expect(
      contextMenuTemplate({
        isEditable: false,
        selectionText: 'peace deal',
        misspelledWord: '',
        dictionarySuggestions: [],
        editFlags: flags,
      }),
    ).toEqual([{ role: 'copy', enabled: true }]);
    expect(
      contextMenuTemplate({ isEditable: false, selectionText: '  ', misspelledWord: '', dictionarySuggestions: [], editFlags: flags }),
    ).toEqual([]);
  });

  it('in a text field puts spelling suggestions first, then the edit commands', () => {
    const items = contextMenuTemplate({
      isEditable: true,
      selectionText: '',
      misspelledWord: 'guarentee',
      dictionarySuggestions: ['guarantee', 'guaranteed'],
      editFlags: { ...flags, canCut: false },
    });
    expect(items.slice(0, 3).map((i) => i.label)).toEqual(['guarantee', 'guaranteed', 'Add “guarentee” to Dictionary']);
    expect(items[0]?.contextCommand).toEqual({ kind: 'replace-misspelling', word: 'guarantee' });
    expect(items.filter((i) => i.role).map((i) => [i.role, i.enabled])).toEqual([
      ['cut', false],
      ['copy', true],
      ['paste', true],
      ['selectAll', true],
    ]);
    const none = contextMenuTemplate({
      isEditable: true,
      selectionText: '',
      misspelledWord: 'xqzt',
      dictionarySuggestions: [],
      editFlags: flags,
    });
    expect(none[0]).toEqual({ label: 'No spelling suggestions', enabled: false });
  });
});
