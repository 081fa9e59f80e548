/** The app and its settings: what is open, and who is annotating. */
import type { ApiOutput } from '../../shared/api.js';
import { ApiFailure } from '../errors.js';
import { getSetting, setSetting } from '../store/settings.js';
import type { HandlerContext } from './context.js';
import type { HandlersOf } from './types.js';

export function settingsHandlers({ api, db }: HandlerContext): HandlersOf<'app.info' | 'settings.setAnnotator'> {
  const info = (): ApiOutput<'app.info'> => ({
    version: api.version,
    databasePath: api.databasePath,
    annotator: getSetting(db, 'annotator'),
    offsetUnit: 'codepoint',
  });
  return {
    'app.info': () => info(),
    'settings.setAnnotator': ({ name }) => {
      if (name.toLocaleLowerCase() === 'gold')
        throw new ApiFailure('invalid_input', '"gold" is the name of the reviewed layer; choose another annotator name');
      const member = api.team?.status().member;
      if (member && member !== name)
        throw new ApiFailure('conflict', `this library is in a team workspace as "${member}"; its annotator name is that member's`);
      setSetting(db, 'annotator', name);
      return info();
    },
  };
}
