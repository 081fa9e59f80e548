import type Database from 'better-sqlite3';

/** An open library connection. A leaf module, so that opening (database.ts) and backing up (backup.ts) can both name it without importing each other. */
export type Db = Database.Database;
