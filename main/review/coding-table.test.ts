import { describe, expect, it } from 'vitest';
import { CodingTableEncoder } from './coding-table.js';

describe('the coding table as bytes', () => {
  it('writes the rows the string form writes, across buffer boundaries, from names and from category numbers', () => {
    const names = ['none', 'claim', 'claim+source', 'opinión'];
    const codesA = Int32Array.from({ length: 70_000 }, (_, i) => (i * 7) % 4);
    const codesB = Int32Array.from({ length: 70_000 }, (_, i) => (i * 3) % 4);
    const expected: string[] = [];
    for (const id of [1, 12345])
      for (let i = 0; i < codesA.length; i++)
        expected.push(`${id}:${i},Ann,${names[codesA[i] as number]}\r\n${id}:${i},"B, b",${names[codesB[i] as number]}\r\n`);
    for (const form of ['names', 'codes'] as const) {
      const chunks: Buffer[] = [];
      const encoder = new CodingTableEncoder((bytes) => chunks.push(Buffer.from(bytes)), 'Ann', '"B, b"');
      for (const id of [1, 12345]) {
        if (form === 'codes') encoder.addCodes(id, codesA, codesB, codesA.length, names);
        else
          encoder.add(
            id,
            [...codesA].map((c) => names[c] as string),
            [...codesB].map((c) => names[c] as string),
          );
      }
      encoder.flush();
      expect(chunks.length).toBeGreaterThan(2);
      expect(Buffer.concat(chunks).toString('utf8') === expected.join(''), form).toBe(true);
      expect(encoder.rows).toBe(4 * codesA.length);
    }
  });
});
