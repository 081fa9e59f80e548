/**
 * Two analysts, two hosts, two local libraries, one PostgreSQL: A tags and B
 * sees A's layer live; B reviews and the gold layer appears at A's; B's
 * delete of A's tag is refused and shown; the server stopped and started
 * mid-session loses nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import type { ApiResult } from '../shared/api.js';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { answerAnnotatorQuestion, expect, expectSaved, selectPhrase, test } from './fixtures.js';
import { REVIEW_ARTICLE_INDEX } from './colleagues.js';
import { connect } from '../main/team/connection.js';
import { addMember } from '../main/team/members.js';
import { migrateTeam } from '../main/team/schema.js';
import { startTestCluster, type TestCluster } from '../main/team/test-cluster.js';

interface TeamHost {
  url: string;
  api<T>(method: string, input: unknown): Promise<T>;
  call(method: string, input: unknown): Promise<ApiResult<unknown>>;
  stop(): void;
}

async function startHost(dbFile: string): Promise<TeamHost> {
  const child: ChildProcess = spawn(process.execPath, ['out/main/serve.js', '--db', dbFile, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Claimdesk is serving (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/.exec(out);
      if (m?.[1]) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const u = new URL(url);
  const call = async (method: string, input: unknown): Promise<ApiResult<unknown>> => {
    const res = await fetch(`${u.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': u.searchParams.get('token') ?? '' },
      body: JSON.stringify(input),
    });
    return (await res.json()) as ApiResult<unknown>;
  };
  return {
    url,
    call,
    async api<T>(method: string, input: unknown): Promise<T> {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

let cluster: TestCluster;
test.beforeAll(async () => {
  cluster = await startTestCluster();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Ana', { reviewer: false, password: 'ana-password' });
  await addMember(lead, 'Ben', { reviewer: true, password: 'ben-password' });
  await lead.end();
});
test.afterAll(() => cluster?.stop());

/** Team → Connect in the top bar, by keyboard. */
async function connectTeam(page: Page, user: string, password: string): Promise<void> {
  await page.getByRole('button', { name: /Team workspace/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect to a team workspace' });
  await dialog.getByLabel('Workspace URL').fill(`postgres://${user}@127.0.0.1:${cluster.port}/team`);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByLabel('Password').press('Enter');
  await expect(page.getByRole('dialog', { name: 'Team workspace' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('dialog', { name: 'Team workspace' }).getByRole('status')).toHaveText(/^Synced/, { timeout: 30_000 });
  // The status can say Synced a moment before the join's answer arrives; Esc closes the dialog once it is no longer busy.
  await expect(page.getByRole('dialog', { name: 'Team workspace' }).getByRole('button', { name: 'Close' })).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Team workspace' })).toBeHidden();
}

const teamButton = (page: Page) => page.getByRole('button', { name: /Team workspace/ });

async function openReviewArticle(page: Page, host: TeamHost): Promise<void> {
  const article = (await host.api<ArticleSummary[]>('articles.list', {}))[REVIEW_ARTICLE_INDEX];
  await page.locator(`.article-item[data-article-id="${article?.id ?? 0}"]`).click();
}

async function pageFor(browser: Browser, host: TeamHost, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(host.url);
  await answerAnnotatorQuestion(page, name);
  return page;
}

test('two analysts on one workspace: live layers, review and gold, a refused delete, the server restarted mid-session', async ({
  browser,
  dataDir,
}) => {
  test.setTimeout(240_000);
  const dirB = mkdtempSync(join(tmpdir(), 'claimdesk-e2e-b-'));
  const hostA = await startHost(join(dataDir, 'ana.db'));
  const hostB = await startHost(join(dirB, 'ben.db'));
  try {
    const a = await pageFor(browser, hostA, 'Ana');
    const b = await pageFor(browser, hostB, 'Ben');
    await connectTeam(a, 'Ana', 'ana-password');
    await connectTeam(b, 'Ben', 'ben-password');
    await expect(teamButton(a)).toHaveText(/Synced/);

    // A tags; B, with the same article open, sees A's layer appear.
    await openReviewArticle(a, hostA);
    await openReviewArticle(b, hostB);
    await selectPhrase(a, 'Washington is pushing for Ukraine');
    await a.keyboard.press('1');
    await expectSaved(a);
    await selectPhrase(a, 'a report by Politico');
    await a.keyboard.press('2');
    await expectSaved(a);
    await expect(b.locator('.article-text [data-annotation-id]')).toHaveCount(2, { timeout: 10_000 });
    await a.screenshot({ path: 'test-results/team-a-1440.png' });
    await b.screenshot({ path: 'test-results/team-b-1440.png' });

    // B tags the same claim, then reviews A against himself: the agreed claim and A's source go into gold.
    await selectPhrase(b, 'Washington is pushing for Ukraine');
    await b.keyboard.press('1');
    await expectSaved(b);
    await b.getByRole('tab', { name: 'Review' }).click();
    await b.getByLabel('Annotator A').selectOption('Ana');
    await b.getByLabel('Annotator B').selectOption('Ben');
    const queue = b.getByRole('region', { name: 'Review queue' });
    await queue.getByRole('button', { name: /Accept 1 agreed/ }).click();
    await expect(queue.getByRole('button', { name: /Accept 0 agreed/ })).toBeDisabled();
    await b.keyboard.press('a');
    const articleA = (await hostA.api<ArticleSummary[]>('articles.list', {}))[REVIEW_ARTICLE_INDEX]?.id ?? 0;
    // The gold layer appears at A's, in the open article.
    await expect(a.locator('.article-text [data-annotation-id]')).toHaveCount(5, { timeout: 10_000 });
    const atA = await hostA.api<Annotation[]>('annotations.list', { articleId: articleA });
    expect(
      atA
        .filter((x) => x.annotator === 'gold')
        .map((x) => x.quote)
        .sort(),
    ).toEqual(['Washington is pushing for Ukraine', 'a report by Politico']);
    await a.screenshot({ path: 'test-results/team-gold-at-a-1440.png' });

    // B tries to delete A's synced tag in the app: it is not offered (A's layer is read-only there) and Delete says why.
    const articleB = (await hostB.api<ArticleSummary[]>('articles.list', {}))[REVIEW_ARTICLE_INDEX]?.id ?? 0;
    const anas = (await hostB.api<Annotation[]>('annotations.list', { articleId: articleB })).filter((x) => x.annotator === 'Ana');
    const anasClaim = anas.find((x) => x.label === 'claim')?.id ?? '';
    await b.getByRole('tab', { name: 'Articles' }).click();
    await b.locator(`[data-annotation-item="${anasClaim}"] .annotation-summary`).click();
    const selected = b.locator('.annotation-item.selected');
    await expect(selected).toContainText('Ana’s layer: read-only here');
    await expect(selected.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await b.locator('.article-scroll').focus();
    await b.keyboard.press('Delete');
    await expect(b.getByRole('status').filter({ hasText: 'This is Ana’s tag' })).toContainText('cannot be deleted');
    await expect(b.locator(`.article-text [data-annotation-id="${anasClaim}"]`).first()).toBeVisible();

    // Past the app, through the API: the library refuses it itself.
    const direct = await hostB.call('annotations.delete', { id: anasClaim });
    expect(direct.ok ? 'deleted' : direct.error.message).toMatch(/"Ana"’s, and a colleague’s layer is read-only/);
    // Behind the library's back (another tool writing its file): the workspace still refuses; the tag comes back and B is told.
    const file = new Database(join(dirB, 'ben.db'));
    file.prepare('DELETE FROM annotations WHERE id = ?').run(anasClaim);
    file.close();
    await teamButton(b).click();
    const details = b.getByRole('dialog', { name: 'Team workspace' });
    await details.getByRole('button', { name: 'Sync now' }).click();
    await expect(b.getByRole('region', { name: 'Changes the workspace refused' })).toContainText(
      'Deleting Ana’s claim tag “Washington is pushing for Ukraine”',
    );
    await expect(b.getByRole('region', { name: 'Changes the workspace refused' })).toContainText('belongs to another member’s layer');
    await b.screenshot({ path: 'test-results/team-refused-1440.png' });
    await expect(details.getByRole('button', { name: 'Close' })).toBeEnabled();
    await b.keyboard.press('Escape');
    await expect(teamButton(b)).toHaveText(/1 change refused/, { timeout: 10_000 });
    await expect
      .poll(
        async () =>
          (await hostB.api<Annotation[]>('annotations.list', { articleId: articleB })).filter((x) => x.annotator === 'Ana').length,
      )
      .toBe(2);
    expect((await hostA.api<Annotation[]>('annotations.list', { articleId: articleA })).filter((x) => x.annotator === 'Ana')).toHaveLength(
      2,
    );

    // The server goes away mid-session: both keep working, the top bar says so; back, everything arrives, once.
    await b.getByRole('tab', { name: 'Articles' }).click();
    cluster.pause();
    await selectPhrase(a, 'security guarantees');
    await a.keyboard.press('3');
    await expectSaved(a);
    await selectPhrase(b, 'Moscow opposing one-sided guarantees');
    await b.keyboard.press('3');
    await expectSaved(b);
    await expect(teamButton(a)).toHaveText(/Offline — 1 change waiting/, { timeout: 15_000 });
    await expect(teamButton(b)).toHaveText(/Offline — 1 change waiting/, { timeout: 15_000 });
    await a.setViewportSize({ width: 1024, height: 700 });
    await a.screenshot({ path: 'test-results/team-offline-1024.png' });
    cluster.start();
    await expect(teamButton(a)).toHaveText(/Synced/, { timeout: 20_000 });
    await expect
      .poll(
        async () =>
          (await hostB.api<Annotation[]>('annotations.list', { articleId: articleB }))
            .filter((x) => x.annotator === 'Ana')
            .map((x) => x.quote)
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual(['Washington is pushing for Ukraine', 'a report by Politico', 'security guarantees']);
    await expect
      .poll(
        async () =>
          (await hostA.api<Annotation[]>('annotations.list', { articleId: articleA }))
            .filter((x) => x.annotator === 'Ben')
            .map((x) => x.quote)
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual(['Moscow opposing one-sided guarantees', 'Washington is pushing for Ukraine']);
    await expect(teamButton(b)).toHaveText(/Synced|refused/, { timeout: 20_000 });
    await expect(teamButton(b)).not.toHaveText(/waiting/);
  } finally {
    hostA.stop();
    hostB.stop();
    rmSync(dirB, { recursive: true, force: true });
  }
});
