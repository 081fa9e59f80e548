// Lint rules, including the architecture's import rules (../shared/ARCHITECTURE.md):
// shared/ imports nothing outside itself, the renderer never reaches main/, Node
// or Electron, only main/hosts/electron/ imports electron, and only main/store
// touches better-sqlite3.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const restrict = (paths, patterns) => ['error', { paths: paths.map((name) => ({ name, message: 'not allowed here by the architecture' })), patterns }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  ...tseslint.configs.strict,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        [...nodeBuiltins, 'electron', 'better-sqlite3'],
        [{ group: ['**/main/**', '**/main'], message: 'the renderer reaches main/ only through renderer/api/client' }],
      ),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltins, 'electron', 'better-sqlite3', 'react', 'react-dom', 'prosemirror-model', 'prosemirror-state', 'prosemirror-view'],
        [{ group: ['**/main/**', '**/renderer/**', '../*/**'], message: 'shared/ imports nothing outside itself' }],
      ),
    },
  },
  {
    files: ['renderer/editor/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltins, 'electron', 'better-sqlite3', 'react', 'react-dom'],
        [{ group: ['**/main/**', '**/views/**', '**/components/**'], message: 'the editor holds no React and no main/' }],
      ),
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/hosts/electron/**'],
    rules: {
      'no-restricted-imports': restrict(['electron'], [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer' }]),
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/store/**', 'main/hosts/electron/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron', 'better-sqlite3'],
        [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer' }],
      ),
    },
  },
  {
    // The team workspace (ARCHITECTURE.md): shared/, main/store/ and pg; tests and their cluster fixture may reach the API.
    files: ['main/team/**/*.ts'],
    ignores: ['main/team/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron', 'better-sqlite3'],
        [{ group: ['**/renderer/**', '../api*', '../hosts/**', '../import/**', '../export/**', '../review/**', '../handlers/**', '../service*', '../cli*'], message: 'main/team imports only shared/, main/store/ and pg' }],
      ),
    },
  },
  {
    // The Electron host keeps windows, menus and dialogs; the library is the service process's (ARCHITECTURE.md):
    // nothing here may load the store, SQLite or the code that runs SQL (main/hosts/electron/no-sql.test.ts checks the whole import graph).
    files: ['main/hosts/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['better-sqlite3'],
        [
          {
            group: ['**/store/**', '**/service', '**/service.js', '**/api', '**/api.js', '**/handlers/**', '**/import/**', '**/export/**', '**/review/**', '**/team/**', '**/cli*', '**/hosts/http/**', '**/service-process/protocol*', '**/service-process/entry*', '**/service-process/save*', '**/renderer/**'],
            message: 'the Electron main process runs no SQL: it reaches the library only through the service process (service-process/supervisor, messages)',
          },
        ],
      ),
    },
  },
  {
    files: ['main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(['electron'], [{ group: ['**/renderer/**', '../api*', '../hosts/**', '../import/**', '../export/**', '../review/**'], message: 'the store imports only shared/' }]),
    },
  },
  // electron-builder loads its hooks with require().
  { files: ['scripts/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
