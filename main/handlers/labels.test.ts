import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_KEYS } from '../../shared/keys.js';
import { testService, type TestService } from '../test-support.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ annotator: 'Dana' });
});
afterEach(() => svc.dispose());

describe('label shortcuts', () => {
  it('refuses every command key, naming the command, when a label is made or changed', async () => {
    for (const key of Object.keys(COMMAND_KEYS).filter((k) => /^[a-z]$/.test(k))) {
      const made = await svc.dispatch('labels.create', { name: `Label ${key}`, color: '#112233', shortcut: key });
      expect(made).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(!made.ok && made.error.message).toContain(`the key ${key} is a command key: ${COMMAND_KEYS[key]}`);
      const changed = await svc.dispatch('labels.update', { id: 'opinion', shortcut: key });
      expect(!changed.ok && changed.error.message).toContain(`the key ${key} is a command key`);
    }
    expect((await svc.dispatch('labels.list', {})).ok && (await svc.dispatch('labels.list', {}))).toMatchObject({
      value: [{ shortcut: '1' }, { shortcut: '2' }, { shortcut: '3' }],
    });
    // Other letters and digits remain free to take.
    expect(await svc.dispatch('labels.create', { name: 'Hedge', color: '#112233', shortcut: 'h' })).toMatchObject({
      ok: true,
      value: { shortcut: 'h' },
    });
  });
});
