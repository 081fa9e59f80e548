/**
 * `npx tsx bench/hostile.ts` (after `npm run build`): the huge-input cases of
 * docs/hostile-input.md measured through the HTTP host — a 15 MB web page and
 * a 1M-record JSONL dataset imported by path, with the host's peak memory
 * (VmHWM, reader threads included), the size of one status answer, and
 * `articles.list` afterwards. Prints one line per figure; not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longPage, tinyRecords } from '../main/import/fixtures/hostile.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Host {
  child: ChildProcess;
  api<T>(method: string, input: unknown): Promise<{ value: T; bytes: number }>;
  peakMb(): number;
  stop(): Promise<void>;
}

async function startHost(db: string, allow: string): Promise<Host> {
  const child = spawn(process.execPath, ['out/main/serve.js', '--db', db, '--no-seed', '--allow-import', allow], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<URL>((ok, fail) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /http:\/\/\S+/.exec(d.toString());
      if (m) ok(new URL(m[0]));
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  const token = url.searchParams.get('token') ?? '';
  return {
    child,
    async api<T>(method: string, input: unknown) {
      const res = await fetch(`${url.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': token },
        body: JSON.stringify(input),
      });
      const text = await res.text();
      const r = JSON.parse(text) as { ok: boolean; value: T; error?: { message: string } };
      if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
      return { value: r.value, bytes: text.length };
    },
    peakMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

interface Status {
  state: string;
  counts: Record<string, number>;
  results: { status: string; message?: string }[];
}

async function importOne(name: string, content: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'claimdesk-hostile-bench-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  const host = await startHost(join(dir, 'library.db'), file);
  try {
    const before = host.peakMb();
    const t0 = performance.now();
    const job = await host.api<{ id: string }>('import.start', { paths: [file] });
    let status: Status;
    let statusBytes = 0;
    for (;;) {
      const s = await host.api<Status>('import.status', { jobId: job.value.id });
      status = s.value;
      statusBytes = Math.max(statusBytes, s.bytes);
      if (status.state !== 'running') break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = status.results
      .filter((r) => r.status === 'failed')
      .slice(0, 3)
      .map((r) => r.message);
    say(
      `${name} (${(content.length / 2 ** 20).toFixed(1)} MB): ${status.state} in ${seconds.toFixed(1)} s, counts ${JSON.stringify(status.counts)}${failed.length ? `, failures ${JSON.stringify(failed)}` : ''}`,
    );
    say(
      `  host peak RSS ${Math.round(host.peakMb())} MB (idle host ${Math.round(before)} MB), largest import.status answer ${(statusBytes / 1024).toFixed(1)} KB`,
    );
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const list = await host.api<unknown[]>('articles.list', {});
      say(
        `  articles.list: ${list.value.length.toLocaleString('en')} articles, ${(list.bytes / 2 ** 20).toFixed(1)} MB, ${Math.round(performance.now() - t)} ms`,
      );
    }
    say(`  host peak RSS after listing ${Math.round(host.peakMb())} MB`);
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'html') {
  // About 15 MB in 70,000 paragraphs: under the element cap, so the whole page is extracted.
  const page = longPage(70_000).replace(/<\/p>/g, ` ${'More words of the same paragraph, as long news paragraphs have. '.repeat(2)}</p>`);
  await importOne('huge.html', page);
}
// `jsonl N`: N records instead of a million (memory that grows with N is not bounded by a batch).
if (which === 'all' || which === 'jsonl') await importOne('tiny.jsonl', tinyRecords(Number(process.argv[3] ?? 1_000_000)));
