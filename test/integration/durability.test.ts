import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/config.js';
import type { Store } from '../../src/core/store.js';
import { verifyAuditChain } from '../../src/record/audit-chain.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startVigilProcess, vigilCli, type StoreEnv } from '../support/server-process.js';

const PG_URL = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Target {
  readonly name: string;
  setup(): Promise<{ store: StoreEnv; open: () => Promise<KyselyStore> }>;
}

const targets: Target[] = [
  {
    name: 'SQLite',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-kill-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      return { store: { env: { VIGIL_DATA_DIR: dir } }, open: () => openSqliteStore({ path: sqlitePath({ dataDir: dir }) }) };
    },
  },
  {
    name: 'PostgreSQL',
    async setup() {
      const schema = `vigil_kill_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      });
      const url = new URL(PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return { store: { env: { VIGIL_DATABASE_URL: url.toString() } }, open: () => openPostgresStore({ url: url.toString() }) };
    },
  },
];

async function dedupKeysIn(store: KyselyStore): Promise<string[]> {
  const rows = await store.db.selectFrom('alerts').select('dedup_key').execute();
  return rows.map((r) => r.dedup_key);
}

describe.each(targets)('kill -9 in the middle of an ingest stream ($name)', (target) => {
  it('loses no acknowledged alert, duplicates none, and the audit chain still verifies', async () => {
    const { store, open } = await target.setup();
    const { key } = JSON.parse(await vigilCli(store, ['integration', 'create', '--kind', 'generic', '--service', 'custody', '--json'])) as { key: string };
    const server = await startVigilProcess(store);

    const acknowledged = new Set<string>();
    let sent = 0;
    let killed = false;
    const post = async (n: number) => {
      const dedup = `withdrawal-stuck-${n}`;
      const response = await fetch(`${server.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ summary: `withdrawal ${n} stuck`, severity: 'error', dedup_key: dedup, group_key: `g${n % 7}` }),
      }).catch(() => undefined);
      if (response?.status === 200) acknowledged.add(dedup);
    };
    // Eight concurrent senders; the server is killed once a few hundred alerts were acknowledged.
    const senders = Array.from({ length: 8 }, async () => {
      while (!killed && sent < 5_000) {
        const n = sent++;
        await post(n);
        if (acknowledged.size >= 300 && !killed) {
          killed = true;
          await server.stop('SIGKILL');
        }
      }
    });
    await Promise.all(senders);
    expect(killed).toBe(true);

    // Restart on the same store: it must come up, with every acknowledged alert and a sound chain.
    const restarted = await startVigilProcess(store);
    const health = await fetch(`${restarted.url}/readyz`);
    expect(health.status).toBe(200);
    // Retrying everything that was sent (as a sender does after errors) must not duplicate.
    for (let n = 0; n < sent; n++) {
      const response = await fetch(`${restarted.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ summary: `withdrawal ${n} stuck`, severity: 'error', dedup_key: `withdrawal-stuck-${n}`, group_key: `g${n % 7}` }),
      });
      expect(response.status).toBe(200);
    }
    // SIGTERM is a graceful shutdown: requests finish, the store closes, the exit code is 0.
    expect(await restarted.stop('SIGTERM')).toBe(0);

    const reopened: Store & KyselyStore = await open();
    try {
      const keys = await dedupKeysIn(reopened);
      for (const dedup of acknowledged) expect(keys).toContain(dedup);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(sent);
      expect(await verifyAuditChain(reopened.read)).toMatchObject({ ok: true });
    } finally {
      await reopened.close();
    }
  });
});
