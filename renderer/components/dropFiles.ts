import type { PickedFile } from '../views/ImportDialog.js';

/** Reads every file of a drop, walking dropped folders recursively (hidden entries skipped). */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...data.files].map((file) => ({ file, path: file.name }));
  const out: PickedFile[] = [];
  async function visit(entry: FileSystemEntry, prefix: string): Promise<void> {
    if (entry.name.startsWith('.')) return;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push({ file, path });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns the folder in pieces; read until it says nothing more.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const child of batch.sort((a, b) => a.name.localeCompare(b.name))) await visit(child, path);
      }
    }
  }
  for (const e of entries) await visit(e, '');
  return out;
}
