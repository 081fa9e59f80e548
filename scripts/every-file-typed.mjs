// Fails when a TypeScript file in the repository is type-checked by none of the
// project's tsconfigs (a test outside every `include` would silently escape `tsc`).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import ts from 'typescript';

const CONFIGS = ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json'];
const covered = new Set();
for (const config of CONFIGS) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    resolve(config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  for (const f of parsed?.fileNames ?? []) covered.add(resolve(f));
}
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx', '*.mts', '*.cts'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && !f.endsWith('.d.ts'));
const missing = files.filter((f) => !covered.has(resolve(f)));
if (missing.length > 0) {
  process.stderr.write(
    `These files are type-checked by none of ${CONFIGS.join(', ')}; add them to one:\n${missing.map((f) => `  ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
