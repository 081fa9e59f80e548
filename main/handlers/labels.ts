/** The label set: claim, source and opinion first, then the team's own, each with a colour, a shortcut key and a description. */
import type { Label } from '../../shared/schemas.js';
import { ApiFailure } from '../errors.js';
import { CLAIM_LABEL, SOURCE_LABEL } from '../store/claims.js';
import {
  deleteLabelReassigning,
  getLabel,
  insertLabel,
  labelUseCount,
  labelWithShortcut,
  listLabels,
  updateLabel,
} from '../store/labels.js';
import type { HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

export function labelHandlers({
  db,
  emit,
}: HandlerContext): HandlersOf<'labels.list' | 'labels.create' | 'labels.update' | 'labels.delete'> {
  const tx = <T>(f: () => T): T => db.transaction(f)();
  return {
    'labels.list': () => listLabels(db),
    'labels.create': (input) => {
      const id =
        input.id ??
        input.name
          .toLocaleLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 40);
      if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(id))
        throw new ApiFailure('invalid_input', `cannot make a label id from "${input.name}"; give one`);
      if (getLabel(db, id)) throw new ApiFailure('conflict', `a label with id "${id}" already exists`);
      const taken = labelWithShortcut(db, input.shortcut);
      if (taken) throw new ApiFailure('conflict', `the key ${input.shortcut} is already the shortcut of ${taken.name}`);
      const label: Label = { id, name: input.name, color: input.color, shortcut: input.shortcut, description: input.description ?? '' };
      tx(() => insertLabel(db, label));
      emit({ name: 'labels.changed' });
      return label;
    },
    'labels.update': ({ id, ...changes }) => {
      if (!getLabel(db, id)) throw new ApiFailure('not_found', `no label "${id}"`);
      if (changes.shortcut) {
        const taken = labelWithShortcut(db, changes.shortcut);
        if (taken && taken.id !== id)
          throw new ApiFailure('conflict', `the key ${changes.shortcut} is already the shortcut of ${taken.name}`);
      }
      tx(() => updateLabel(db, id, changes));
      emit({ name: 'labels.changed' });
      return getLabel(db, id) as Label;
    },
    'labels.delete': ({ id, reassignTo }) => {
      if (!getLabel(db, id)) throw new ApiFailure('not_found', `no label "${id}"`);
      if ([CLAIM_LABEL, SOURCE_LABEL].includes(id))
        throw new ApiFailure('conflict', `"${id}" is used by attribution and the claims table and cannot be deleted; rename it instead`);
      const inUse = labelUseCount(db, id);
      if (inUse > 0 && !reassignTo)
        throw new ApiFailure('conflict', `"${id}" is on ${inUse} annotation${inUse === 1 ? '' : 's'}; choose a label to reassign them to`);
      if (reassignTo && (reassignTo === id || !getLabel(db, reassignTo)))
        throw new ApiFailure('invalid_input', `cannot reassign to "${reassignTo}"`);
      if (listLabels(db).length <= 1) throw new ApiFailure('conflict', 'the last label cannot be deleted');
      const reassigned = tx(() => deleteLabelReassigning(db, id, reassignTo ?? null));
      emit({ name: 'labels.changed' });
      emit({ name: 'annotations.changed' });
      return { id, reassigned };
    },
  };
}
