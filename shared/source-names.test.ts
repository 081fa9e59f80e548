import { describe, expect, it } from 'vitest';
import { entityNameFrom, nameSimilarity, nameTokens } from './source-names.js';

describe('source names', () => {
  it('keeps the name words of a wording, titles and articles aside', () => {
    expect(nameTokens('U.S. Secretary of State Marco Rubio')).toEqual(['marco', 'rubio']);
    expect(nameTokens('The US Secretary of State Marco Rubio')).toEqual(['marco', 'rubio']);
    expect(nameTokens('Zelensky’s office')).toEqual(['zelensky', 'office']);
    expect(nameTokens('the Secretary of State')).toEqual(['secretary', 'state']);
  });

  it('scores the wordings of one person together and apart from others', () => {
    const rubio = ['Rubio', 'U.S. Secretary of State Marco Rubio', 'The US Secretary of State Marco Rubio', 'Secretary Rubio'];
    for (const a of rubio) for (const b of rubio) expect(nameSimilarity(a, b)).toBeGreaterThanOrEqual(0.8);
    expect(nameSimilarity('U.S. Secretary of State Marco Rubio', 'The US Secretary of State Marco Rubio')).toBe(1);
    expect(nameSimilarity('Rubio', 'Russian President Vladimir Putin')).toBe(0);
    expect(nameSimilarity('Marco Rubio', 'Marco Polo')).toBeLessThan(0.4);
    expect(nameSimilarity('President Donald Trump', 'Trump')).toBeGreaterThan(0.8);
    expect(nameSimilarity('Zelenskyy', 'Ukrainian President Volodymyr Zelensky')).toBeGreaterThan(0.8);
    // The closer wording ranks first.
    expect(nameSimilarity('Marco Rubio', 'U.S. Secretary of State Marco Rubio')).toBeGreaterThan(
      nameSimilarity('Rubio', 'U.S. Secretary of State Marco Rubio'),
    );
  });

  it('makes an entity name from a wording', () => {
    expect(entityNameFrom('U.S. Secretary of State Marco Rubio')).toBe('Marco Rubio');
    expect(entityNameFrom('The US Secretary of State  Marco Rubio')).toBe('Marco Rubio');
    expect(entityNameFrom('Rubio')).toBe('Rubio');
    expect(entityNameFrom('a senior White House official')).toBe('a senior White House official');
    expect(entityNameFrom('Russian President Vladimir Putin')).toBe('Vladimir Putin');
    expect(entityNameFrom('the Kremlin')).toBe('Kremlin');
    expect(entityNameFrom('Politico')).toBe('Politico');
  });
});
