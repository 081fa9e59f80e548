/**
 * The names of the API methods, without their schemas, so the Electron
 * preload can allow-list them without bundling zod.
 */
export const API_METHODS = [
  'app.info',
  'settings.setAnnotator',
  'labels.list',
  'articles.list',
  'articles.get',
  'articles.update',
  'articles.delete',
  'articles.search',
  'articles.createFromText',
  'claims.forArticle',
  'claims.table',
  'claims.instances',
  'links.create',
  'links.update',
  'links.delete',
  'groups.list',
  'groups.create',
  'groups.assign',
  'groups.unassign',
  'groups.update',
  'groups.merge',
  'groups.delete',
  'groups.snapshot',
  'groups.restore',
  'groups.history',
  'groups.suggest',
  'entities.list',
  'entities.create',
  'entities.link',
  'entities.unlink',
  'entities.rename',
  'entities.merge',
  'entities.delete',
  'entities.snapshot',
  'entities.restore',
  'entities.history',
  'entities.suggest',
  'labels.create',
  'labels.update',
  'labels.delete',
  'export.build',
  'bundle.export',
  'bundle.import',
  'annotators.progress',
  'review.queue',
  'review.queuePage',
  'review.decide',
  'review.acceptAgreed',
  'review.openAgreed',
  'review.agreement',
  'review.exportLog',
  'review.exportAgreement',
  'backups.list',
  'backups.create',
  'backups.restore',
  'import.upload',
  'import.start',
  'import.status',
  'import.cancel',
  'annotations.list',
  'annotations.create',
  'annotations.update',
  'annotations.delete',
  'annotations.restore',
  'team.status',
  'team.join',
  'team.sync',
  'team.leave',
  'team.dismissRefused',
] as const;

export type ApiMethod = (typeof API_METHODS)[number];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** Event channel names pushed from the host to the renderer. */
export const API_EVENTS = [
  'articles.changed',
  'annotations.changed',
  'claims.changed',
  'labels.changed',
  'import.progress',
  'database.restored',
  'service.status',
  'bundle.progress',
  'team.status',
] as const;
export type ApiEventName = (typeof API_EVENTS)[number];
export interface ApiEvent {
  name: ApiEventName;
  /** The article concerned, when there is one. */
  articleId?: number;
  /** For import.progress: the job's id, files done and total, the current file, its state. */
  job?: { id: string; done: number; total: number; current: string | null; state: string };
  /** For bundle.progress: annotations of the bundle being imported placed so far, of all. */
  bundle?: { fileName: string; done: number; total: number };
  /** Set when the change came from a colleague through the team workspace (not from this window). */
  team?: boolean;
  /** For service.status: the service process starting (a migration or its backup may run), ready, restarting after a crash, or failed. */
  status?: ServiceStatus;
}

export interface ServiceStatus {
  state: 'starting' | 'ready' | 'restarting' | 'failed';
  /** One sentence for the window. */
  message: string;
}
