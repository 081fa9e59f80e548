import { describe, expect, it } from 'vitest';
import { onAppCommand, runAppCommand } from './commands.js';

describe('menu commands for the showing view', () => {
  it('go to the last registered handler, and to nobody once it is gone', () => {
    const calls: string[] = [];
    const offA = onAppCommand('undo', () => calls.push('a'));
    const offB = onAppCommand('undo', () => calls.push('b'));
    expect(runAppCommand('undo', null)).toBe(true);
    offB();
    runAppCommand('undo', null);
    offA();
    expect(runAppCommand('undo', null)).toBe(false);
    expect(runAppCommand('redo', null)).toBe(false);
    expect(calls).toEqual(['b', 'a']);
  });
});
