import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../record/audit-chain.js';
import { alert, incident, storeContract } from '../store.contract.js';
import { openPostgresStore, openPostgresStoreOn, postgresPool } from './postgres-store.js';

const execFileAsync = promisify(execFile);
const BASE_URL = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

/** A fresh schema per test, so runs never see each other's rows; all dropped at the end. */
async function freshSchemaUrl(): Promise<string> {
  const schema = `vigil_test_${process.pid}_${schemas.length}_${Date.now()}`;
  schemas.push(schema);
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(BASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

afterAll(async () => {
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

storeContract('PostgreSQL', async () => {
  const url = await freshSchemaUrl();
  const store = await openPostgresStore({ url });
  return {
    store,
    exec: async (statement) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
    reopen: () => openPostgresStore({ url }),
    cleanup: () => store.close(),
  };
});

describe('PostgreSQL store across processes', () => {
  it('three processes opening a new schema at once migrate it once and number incidents without a gap', async () => {
    const url = await freshSchemaUrl();
    const run = (label: string) => execFileAsync(process.execPath, ['--import', 'tsx', 'test/fixtures/open-store.ts', url, label]);
    const outputs = await Promise.all([run('a'), run('b'), run('c')]);
    expect(outputs.map((o) => Number(o.stdout.trim())).sort()).toEqual([1, 2, 3]);
    const store = await openPostgresStore({ url });
    expect((await store.read.listIncidents({ limit: 10 })).length).toBe(3);
    await store.close();
  });
});

describe('PostgreSQL writer', () => {
  it('never tells a unit that caught a database error and went on that it was kept', async () => {
    const store = await openPostgresStore({ url: await freshSchemaUrl() });
    try {
      await store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertAlert(alert('a1', 'inc-1', { dedupKey: 'same' }));
      });
      const swallowing = async (tx: Parameters<Parameters<typeof store.write>[0]>[0]) => {
        await tx.insertAlert(alert('a2', 'inc-1', { dedupKey: 'same' })).catch(() => undefined);
        await tx.getIncident('inc-1').catch(() => undefined);
        return 'went on';
      };
      // Alone in its transaction, and in a batch.
      await expect(store.write(swallowing)).rejects.toThrow();
      const batch = await Promise.allSettled([store.write((tx) => tx.insertIncident(incident(2))), store.write(swallowing), store.write((tx) => tx.insertIncident(incident(3)))]);
      expect(batch.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.read.listIncidents({ limit: 10 })).map((i) => i.number)).toEqual([3, 2, 1]);
      expect(await store.read.getAlert('a2')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps Kysely\'s own savepoints working on the store\'s connections', async () => {
    const store = await openPostgresStore({ url: await freshSchemaUrl() });
    try {
      const trx = await store.db.startTransaction().execute();
      const saved = await trx.savepoint('before').execute();
      expect(await saved.selectFrom('incidents').select('id').execute()).toEqual([]);
      await saved.rollbackToSavepoint('before').execute();
      await saved.releaseSavepoint('before').execute();
      await trx.commit().execute();
    } finally {
      await store.close();
    }
  });


  it('sends a unit that inserts and updates in two statements, its release taking the next unit\'s savepoint', async () => {
    const pool = postgresPool({ url: await freshSchemaUrl() });
    const sent: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push(args[0]);
        return query(...args);
      };
    });
    const store = await openPostgresStoreOn(pool);
    try {
      await store.write((tx) => tx.insertIncident(incident(1)));
      sent.length = 0;
      const units = 10;
      // Asked for in one turn of the event loop: one batch.
      await Promise.all(
        Array.from({ length: units }, (_, i) =>
          store.write(async (tx) => {
            await tx.insertAlert(alert(`a${i}`, 'inc-1', { dedupKey: `k${i}` }));
            await appendAudit(tx, { at: i, actor: { kind: 'system', id: 'vigil', name: 'vigil' }, action: 'test.append', subject: `a${i}`, data: { i } });
            await tx.updateIncident({ ...incident(1), alertCount: i + 1, updatedAt: i });
          }),
        ),
      );
      // Every update went with the inserts held before it; every release but the last took the next savepoint.
      expect(sent.filter((sql) => sql.startsWith('with "d0" as (insert into') && sql.includes(' update "incidents" set '))).toHaveLength(units);
      expect(sent.filter((sql) => sql === 'release savepoint unit; savepoint unit')).toHaveLength(units - 1);
      // Beside those: begin, the lock, the first savepoint, the first unit's alert insert (sent on its
      // own before the audit head is read; later units find the head remembered), that read, the
      // last release, commit.
      expect(sent.length).toBe(2 * units + 6);
      expect((await store.read.getIncident('inc-1'))?.alertCount).toBe(units);
      expect(await store.read.getAlert(`a${units - 1}`)).toMatchObject({ incidentId: 'inc-1' });
    } finally {
      await store.close();
    }
  });
});
