import { describe, expect, it } from 'vitest';
import { inOrder } from './in-order.js';

const after = <T>(ms: number, value: T, log: string[]) =>
  new Promise<T>((ok) =>
    setTimeout(() => {
      log.push(String(value));
      ok(value);
    }, ms),
  );

describe('inOrder', () => {
  it('starts each write after the one before has answered, whatever their speed', async () => {
    const log: string[] = [];
    const run = inOrder();
    const results = await Promise.all([
      run(() => after(30, 'slow first', log)),
      run(() => after(0, 'fast second', log)),
      run(() => after(5, 'third', log)),
    ]);
    expect(log).toEqual(['slow first', 'fast second', 'third']);
    expect(results).toEqual(['slow first', 'fast second', 'third']);
  });

  it('goes on after a failed write, and the failure reaches its caller', async () => {
    const log: string[] = [];
    const run = inOrder();
    const failed = run(() => Promise.reject(new Error('refused')));
    const next = run(() => after(0, 'next', log));
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });
});
