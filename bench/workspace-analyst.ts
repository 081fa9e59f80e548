/**
 * One simulated analyst of the workspace bench's live case, in its own
 * process (started by bench/workspace.ts with `fork`), so twenty analysts do
 * not share one event loop the way twenty people's machines never would.
 *
 * Messages from the parent: `start` (who, where, what role), `go` (tag until
 * `endAt`), `stop`. To the parent: `joined`, `made` (a tag and when),
 * `arrived` (a colleague's tag seen here, and when), `done` (what this
 * library holds). Times are wall-clock milliseconds, comparable between
 * processes on one machine.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { insertAnnotation } from '../main/store/annotations.js';
import { insertArticle } from '../main/store/articles.js';
import { openDatabase, type Db } from '../main/store/database.js';
import { setSetting } from '../main/store/settings.js';
import { TeamSync } from '../main/team/sync.js';

export interface StartMessage {
  type: 'start';
  index: number;
  url: string;
  dbPath: string;
  text: string;
  observer: boolean;
}
export type ParentMessage = StartMessage | { type: 'go'; endAt: number } | { type: 'stop' };
export type ChildMessage =
  | { type: 'joined' }
  | { type: 'made'; id: string; at: number }
  | { type: 'arrived'; ids: string[]; at: number }
  | { type: 'done'; copies: number; distinct: number; loopP99Ms: number };

const clock = () => performance.timeOrigin + performance.now();
const send = (m: ChildMessage) => process.send?.(m);

let db: Db;
let sync: TeamSync;
let articleId = 0;
let start: StartMessage;
const loop = monitorEventLoopDelay({ resolution: 10 });

async function begin(m: StartMessage): Promise<void> {
  start = m;
  db = openDatabase(m.dbPath);
  setSetting(db, 'annotator', `Analyst${m.index}`);
  articleId = insertArticle(db, { title: 'Ceasefire', text: m.text }).id;
  const seen = new Set<string>();
  const fresh = db.prepare("SELECT id FROM annotations WHERE id LIKE 'live-proc-%' AND annotator <> ?");
  sync = new TeamSync({
    db,
    live: true,
    emit: (e) => {
      if (!m.observer || e.name !== 'annotations.changed' || !e.team) return;
      const at = clock();
      const ids = (fresh.all(`Analyst${m.index}`) as { id: string }[]).map((r) => r.id).filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      if (ids.length) send({ type: 'arrived', ids, at });
    },
  });
  await sync.join(m.url);
  loop.enable();
  send({ type: 'joined' });
}

async function tag(endAt: number): Promise<void> {
  if (start.observer) return;
  let n = 0;
  while (clock() < endAt) {
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
    const id = `live-proc-${start.index}-${n++}`;
    const at = (n % 190) * 45;
    const t = new Date().toISOString();
    insertAnnotation(db, {
      id,
      articleId,
      start: at,
      end: at + 8,
      quote: start.text.slice(at, at + 8),
      prefix: '',
      suffix: '',
      label: 'claim',
      annotator: `Analyst${start.index}`,
      note: '',
      createdAt: t,
      updatedAt: t,
    });
    send({ type: 'made', id, at: clock() });
    sync.nudge(0);
  }
}

async function finish(): Promise<void> {
  await sync.close();
  const c = db.prepare("SELECT count(*) AS c, count(DISTINCT id) AS d FROM annotations WHERE id LIKE 'live-proc-%'").get() as {
    c: number;
    d: number;
  };
  db.close();
  send({ type: 'done', copies: c.c, distinct: c.d, loopP99Ms: loop.percentile(99) / 1e6 });
  setTimeout(() => process.exit(0), 50);
}

process.on('message', (raw) => {
  const m = raw as ParentMessage;
  if (m.type === 'start') void begin(m);
  else if (m.type === 'go') void tag(m.endAt);
  else void finish();
});
