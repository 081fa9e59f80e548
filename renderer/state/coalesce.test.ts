import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from './coalesce.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('coalesce', () => {
  it('runs once for a burst of events, and again for events after it', () => {
    let runs = 0;
    const c = coalesce(() => runs++, 300);
    // An import of 1,000 articles: an event every millisecond for a second.
    for (let i = 0; i < 1000; i++) {
      c.trigger();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(300);
    expect(runs).toBe(4);
    c.trigger();
    expect(runs).toBe(4);
    vi.advanceTimersByTime(300);
    expect(runs).toBe(5);
  });

  it('runs nothing after dispose', () => {
    let runs = 0;
    const c = coalesce(() => runs++, 300);
    c.trigger();
    c.dispose();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(0);
  });
});
