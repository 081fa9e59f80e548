import { describe, expect, it } from 'vitest';
import { classifyFile, filesFromArgv } from './open-files.js';

describe('files handed to the app', () => {
  it('tells bundles, articles and libraries apart', () => {
    expect(classifyFile('/x/alice.claimdesk', null).kind).toBe('bundle');
    expect(classifyFile('/x/claimdesk-bundle-alice.json', '{\n "format": "claimdesk-bundle", "version": 1').kind).toBe('bundle');
    expect(classifyFile('/x/dataset.json', '[{"text": "…"}]').kind).toBe('articles');
    expect(classifyFile('/x/dataset.json', null).kind).toBe('articles');
    for (const f of ['a.txt', 'b.MD', 'c.html', 'd.docx', 'e.pdf', 'f.jsonl']) expect(classifyFile(`/x/${f}`, null).kind).toBe('articles');
    expect(classifyFile('/x/team.db', null).kind).toBe('library');
    expect(classifyFile('/x/folder', null, true).kind).toBe('articles');
    expect(classifyFile('/x/photo.jpg', null).kind).toBe('unknown');
  });

  it('takes the file arguments from an argv, without switches', () => {
    expect(
      filesFromArgv(['/opt/Claimdesk/claimdesk', '--no-sandbox', '/home/d/a.txt', '--db', '/home/d/x.db', 'b.claimdesk'], true),
    ).toEqual(['/home/d/a.txt', 'b.claimdesk']);
    expect(filesFromArgv(['/usr/bin/electron', '.', '/home/d/a.txt'], false)).toEqual(['/home/d/a.txt']);
    expect(filesFromArgv(['/opt/Claimdesk/claimdesk'], true)).toEqual([]);
  });
});
