import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Property tests run hundreds of cases; on a loaded 2-core CI machine they can pass 5 s without anything being wrong.
    // Speed is judged by the bench, never here.
    testTimeout: 30_000,
  },
});
