import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { storeContract } from '../store.contract.js';
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
