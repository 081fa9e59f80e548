// Lint rules, including the architecture's import rules (../shared/ARCHITECTURE.md):
// shared/ imports nothing outside itself, the renderer never reaches main/, Node
// or Electron, only main/hosts/electron/ imports electron, and only main/store
// touches better-sqlite3.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const restrict = (paths, patterns) => [
  'error',
  { paths: paths.map((name) => ({ name, message: 'not allowed here by the architecture' })), patterns },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  ...tseslint.configs.strict,
  {
    // Type-aware rules: a promise nobody awaits or catches loses its error, and one passed where a plain callback is
    // expected is never awaited. The TypeScript project service reads the three tsconfigs through tsconfig.json.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    // No import circles anywhere: a circle hides which module is the leaf and breaks lazy loading.
    ...importX.flatConfigs.typescript,
    files: ['**/*.{ts,tsx}'],
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
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
    // shared/ runs on both sides: an allow-list of pure packages (a deny-list would let jsdom or pg through).
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|approx-string-match$|\\./)',
              message:
                'shared/ imports only zod, approx-string-match and its own modules (add a pure package to this allow-list deliberately)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|approx-string-match$|vitest$|fast-check$|node:|\\./)',
              message: 'shared/ tests import only shared/, vitest, fast-check and Node built-ins',
            },
          ],
        },
      ],
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
    // Readers, writers and review (ARCHITECTURE.md): shared/ and main/store/ only; never the API, the hosts, the team sync or each other.
    files: ['main/import/**/*.ts', 'main/export/**/*.ts', 'main/review/**/*.ts'],
    ignores: ['main/**/*.test.ts', 'main/**/fixtures/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron', 'better-sqlite3'],
        [
          {
            group: ['**/renderer/**', '../api*', '../handlers/**', '../hosts/**', '../service*', '../cli*', '../team/**'],
            message: 'main/import, main/export and main/review import only shared/ and main/store/',
          },
        ],
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
        [
          {
            group: [
              '**/renderer/**',
              '../api*',
              '../hosts/**',
              '../import/**',
              '../export/**',
              '../review/**',
              '../handlers/**',
              '../service*',
              '../cli*',
            ],
            message: 'main/team imports only shared/, main/store/ and pg',
          },
        ],
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
            group: [
              '**/store/**',
              '**/service',
              '**/service.js',
              '**/api',
              '**/api.js',
              '**/handlers/**',
              '**/import/**',
              '**/export/**',
              '**/review/**',
              '**/team/**',
              '**/cli*',
              '**/hosts/http/**',
              '**/service-process/protocol*',
              '**/service-process/entry*',
              '**/service-process/save*',
              '**/renderer/**',
            ],
            message:
              'the Electron main process runs no SQL: it reaches the library only through the service process (service-process/supervisor, messages)',
          },
        ],
      ),
    },
  },
  {
    files: ['main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron'],
        [
          {
            group: ['**/renderer/**', '../api*', '../hosts/**', '../import/**', '../export/**', '../review/**'],
            message: 'the store imports only shared/',
          },
        ],
      ),
    },
  },
  // electron-builder loads its hooks with require().
  { files: ['scripts/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
