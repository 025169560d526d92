import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract.js';
import { openPostgresStore } from './postgres-store.js';

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
