import type { Database } from 'better-sqlite3';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-fulltext-and-byline.js';
import { migration003 } from './003-claims.js';
import { migration004 } from './004-review.js';
import { migration005 } from './005-claims-changes.js';
import { migration006 } from './006-saved-claim-rows.js';
import { migration007 } from './007-annotation-numbers.js';
import { migration008 } from './008-gold-once.js';
import { migration009 } from './009-claim-annotation-changes.js';
import { migration010 } from './010-team.js';
import { migration011 } from './011-library-locks.js';
import { migration012 } from './012-ungrouped-claim-rows.js';
import { migration013 } from './013-team-article-metadata.js';
import { migration014 } from './014-source-entities.js';

export interface Migration {
  version: number;
  up: (db: Database) => void;
}

/** Every schema version in order; a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, up: migration001 },
  { version: 2, up: migration002 },
  { version: 3, up: migration003 },
  { version: 4, up: migration004 },
  { version: 5, up: migration005 },
  { version: 6, up: migration006 },
  { version: 7, up: migration007 },
  { version: 8, up: migration008 },
  { version: 9, up: migration009 },
  { version: 10, up: migration010 },
  { version: 11, up: migration011 },
  { version: 12, up: migration012 },
  { version: 13, up: migration013 },
  { version: 14, up: migration014 },
];

for (let i = 0; i < MIGRATIONS.length; i++) {
  if (MIGRATIONS[i]?.version !== i + 1) throw new Error(`migration list is out of order at position ${i}`);
}

export const SCHEMA_VERSION = MIGRATIONS.length;
