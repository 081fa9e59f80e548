/** Tags: list, create, relabel or annotate, delete, and restore a deleted one (the undo of a delete). */
import { randomUUID } from 'node:crypto';
import type { Annotation } from '../../shared/schemas.js';
import { ApiFailure } from '../errors.js';
import { deleteAnnotation, getAnnotation, insertAnnotation, listAnnotations, updateAnnotation } from '../store/annotations.js';
import { annotatorProgress } from '../store/exchange.js';
import { getGroup, groupOf, setMembership } from '../store/groups.js';
import { entityOf, getEntity, setEntityMembership } from '../store/entities.js';
import { getLink, insertLink, linksOfAnnotation } from '../store/links.js';
import { anchorInArticle, requireAnnotation, requireAnnotator, requireLabel, requireText, type HandlerContext } from './context.js';
import { requireOwnLayer } from './own-layer.js';
import type { HandlersOf } from './types.js';
import { getSetting } from '../store/settings.js';

type Methods =
  'annotations.list' | 'annotations.create' | 'annotations.update' | 'annotations.delete' | 'annotations.restore' | 'annotators.progress';

export function annotationHandlers({ db, now, emit }: HandlerContext): HandlersOf<Methods> {
  return {
    'annotations.list': ({ articleId, startBefore }) => {
      requireText(db, articleId);
      return listAnnotations(db, articleId, startBefore);
    },
    'annotations.create': (input) => {
      const annotator = requireAnnotator(db, 'tagging');
      requireLabel(db, input.label);
      const context = anchorInArticle(db, input.articleId, input.start, input.end, input.quote);
      const id = input.id ?? randomUUID();
      if (getAnnotation(db, id)) throw new ApiFailure('conflict', `an annotation with id ${id} already exists`);
      const t = now();
      const a: Annotation = {
        id,
        articleId: input.articleId,
        start: input.start,
        end: input.end,
        quote: input.quote,
        ...context,
        label: input.label,
        annotator,
        note: input.note ?? '',
        createdAt: t,
        updatedAt: t,
      };
      db.transaction(() => insertAnnotation(db, a))();
      emit({ name: 'annotations.changed', articleId: a.articleId });
      return a;
    },
    'annotations.update': ({ id, label, note }) => {
      const before = requireAnnotation(db, id);
      requireOwnLayer(getSetting(db, 'annotator'), before.annotator, `annotation ${id}`, label !== undefined ? 'relabelled' : 'annotated');
      if (label !== undefined) requireLabel(db, label);
      db.transaction(() => updateAnnotation(db, id, { label, note }, now()))();
      emit({ name: 'annotations.changed', articleId: before.articleId });
      return requireAnnotation(db, id);
    },
    'annotations.delete': ({ id }) => {
      const before = requireAnnotation(db, id);
      requireOwnLayer(getSetting(db, 'annotator'), before.annotator, `annotation ${id}`, 'deleted');
      const links = linksOfAnnotation(db, id);
      const groupId = groupOf(db, id);
      const entityId = entityOf(db, id);
      db.transaction(() => deleteAnnotation(db, id))();
      emit({ name: 'annotations.changed', articleId: before.articleId });
      return { ...before, links, groupId, entityId };
    },
    'annotations.restore': ({ annotation, links, groupId, entityId }) => {
      // The undo of a delete passes the checks a new tag, link and group membership pass.
      const annotator = requireAnnotator(db, 'tagging');
      if (annotation.annotator !== annotator)
        throw new ApiFailure(
          'invalid_input',
          `only your own annotations can be restored (this one is ${JSON.stringify(annotation.annotator.slice(0, 80))}'s)`,
        );
      const at = now();
      const created = Date.parse(annotation.createdAt);
      const updated = Date.parse(annotation.updatedAt);
      if (Number.isNaN(created) || Number.isNaN(updated) || updated < created || updated > Date.parse(at) + 60_000)
        throw new ApiFailure(
          'invalid_input',
          'the annotation’s timestamps are not those of a deleted annotation (unreadable, in the future, or updated before it was created)',
        );
      requireLabel(db, annotation.label);
      const context = anchorInArticle(db, annotation.articleId, annotation.start, annotation.end, annotation.quote);
      if (getAnnotation(db, annotation.id)) throw new ApiFailure('conflict', `an annotation with id ${annotation.id} already exists`);
      for (const l of links ?? []) {
        if (l.claimId !== annotation.id && l.sourceId !== annotation.id) continue;
        const other = getAnnotation(db, l.claimId === annotation.id ? l.sourceId : l.claimId);
        if (!other) continue;
        const claim = l.claimId === annotation.id ? annotation : other;
        const source = l.claimId === annotation.id ? other : annotation;
        if (claim.label !== 'claim' || source.label !== 'source')
          throw new ApiFailure(
            'invalid_input',
            `link ${l.id}: an attribution links a claim to a source, not a ${claim.label} to a ${source.label}`,
          );
        if (claim.articleId !== source.articleId)
          throw new ApiFailure('invalid_input', `link ${l.id}: a claim can only be attributed to a source in the same article`);
        if (l.annotator !== annotator) throw new ApiFailure('invalid_input', `link ${l.id}: only your own links can be restored`);
      }
      if (groupId && annotation.label !== 'claim')
        throw new ApiFailure('invalid_input', `a claim group holds claims; this annotation is a ${annotation.label}`);
      if (entityId && annotation.label !== 'source')
        throw new ApiFailure('invalid_input', `a source entity holds sources; this annotation is a ${annotation.label}`);
      const a = { ...annotation, ...context };
      db.transaction(() => {
        insertAnnotation(db, a);
        // Links and group membership come back where their other ends still exist.
        for (const l of links ?? []) {
          if (l.claimId !== a.id && l.sourceId !== a.id) continue;
          if (getAnnotation(db, l.claimId === a.id ? l.sourceId : l.claimId) && !getLink(db, l.id)) insertLink(db, l);
        }
        if (groupId && getGroup(db, groupId)) setMembership(db, a.id, groupId, a.annotator, now());
        if (entityId && getEntity(db, entityId)) setEntityMembership(db, a.id, entityId, a.annotator, now());
      })();
      emit({ name: 'annotations.changed', articleId: a.articleId });
      if ((links?.length ?? 0) > 0 || groupId || entityId) emit({ name: 'claims.changed', articleId: a.articleId });
      return a;
    },
    'annotators.progress': () => annotatorProgress(db),
  };
}
