import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from '../migrations/migrate.js';
import { migrations } from '../migrations/migrations.js';
import { storeContract } from '../store.contract.js';
import type { Database } from '../schema.js';
import { sqliteWriteLock } from '../write-lock.js';
import { openSqliteStore } from './sqlite-store.js';

const execFileAsync = promisify(execFile);

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  const path = join(dir, 'vigil.db');
  const store = await openSqliteStore({ path });
  return {
    store,
    exec: async (statement) => {
      const db = new BetterSqlite3(path);
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    reopen: () => openSqliteStore({ path }),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite store across processes', () => {
  it('two processes opening a new database at once migrate it once and both write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-race-'));
    const path = join(dir, 'vigil.db');
    try {
      const run = (label: string) =>
        execFileAsync(process.execPath, ['--import', 'tsx', 'test/fixtures/open-store.ts', path, label], { cwd: process.cwd() });
      const outputs = await Promise.all([run('a'), run('b'), run('c')]);
      expect(outputs.map((o) => Number(o.stdout.trim())).sort()).toEqual([1, 2, 3]);
      const store = await openSqliteStore({ path });
      expect((await store.read.listIncidents({ limit: 10 })).length).toBe(3);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite migration 9 (notices)', () => {
  it('rebuilds the outbox so a message may name no incident, keeping every message already queued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-m9-'));
    const path = join(dir, 'vigil.db');
    try {
      const raw = new BetterSqlite3(path);
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
      await migrate(db, { lock: sqliteWriteLock, now: () => 1, migrations: migrations.filter((m) => m.version < 9) });
      raw.exec(`insert into incidents values ('inc-1', 1, 't', 's', 'g', 'triggered', 'SEV3', null, 1, 1, null, null, null, 1, 1)`);
      raw.exec(`insert into outbox values ('m1', 'inc-1', '{}', 'webhook', 'r', '{}', 'k1', 'pending', 0, 5, null, 0, null, null, 1, 1, null)`);
      expect(() => raw.exec(`insert into outbox values ('m2', null, '{}', 'webhook', 'r', '{}', 'k2', 'pending', 0, 5, null, 0, null, null, 1, 1, null)`)).toThrow(/NOT NULL/);
      await db.destroy();

      const store = await openSqliteStore({ path });
      try {
        expect(await store.read.getOutboxMessage('m1')).toMatchObject({ incidentId: 'inc-1', idempotencyKey: 'k1' });
      } finally {
        await store.close();
      }
      const after = new BetterSqlite3(path);
      after.exec(`insert into outbox values ('m2', null, '{}', 'webhook', 'r', '{}', 'k2', 'pending', 0, 5, null, 0, null, null, 1, 1, null)`);
      expect(() => after.exec(`insert into outbox values ('m3', null, '{}', 'webhook', 'r', '{}', 'k2', 'pending', 0, 5, null, 0, null, null, 1, 1, null)`)).toThrow(/UNIQUE/);
      expect(after.prepare(`select name from sqlite_master where type = 'index' and tbl_name = 'outbox' order by name`).all()).toEqual(
        expect.arrayContaining([{ name: 'outbox_due' }, { name: 'outbox_incident' }, { name: 'outbox_lease' }]),
      );
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
