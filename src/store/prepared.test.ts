import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepare, PreparedStatements, type DirectRunner } from './prepared.js';
import { sqliteDirectRunner, withStatementCache } from './sqlite/statement-cache.js';
import type { Database } from './schema.js';

// The prepared runner on a small table of its own (typed loosely: the schema is not Vigil's).
let raw: BetterSqlite3.Database;
let db: Kysely<Database>;
const executed: string[] = [];

beforeEach(() => {
  raw = new BetterSqlite3(':memory:');
  raw.exec('create table playbooks (name text primary key, definition text, updated_at integer)');
  executed.length = 0;
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: (event) => void executed.push(event.query.sql) });
});
afterEach(async () => db.destroy());

const byName = prepare<{ name: string }>()((k, $) => k.selectFrom('playbooks').selectAll().where('name', '=', $.name));
const newerThan = prepare<{ at: number; not: string }>()((k, $) =>
  k.selectFrom('playbooks').select('name').where('updated_at', '>', $.at).where('name', '!=', $.not).where('definition', '!=', 'constant').orderBy('name'),
);

describe('PreparedStatements', () => {
  it('runs a query built once with new values each time, constants kept', async () => {
    const prepared = new PreparedStatements();
    raw.exec("insert into playbooks values ('a', 'x', 1), ('b', 'y', 2), ('c', 'constant', 3), ('d', 'z', 4)");
    expect(await prepared.rows(db, byName, { name: 'b' })).toEqual([{ name: 'b', definition: 'y', updated_at: 2 }]);
    expect(await prepared.rows(db, byName, { name: 'zz' })).toEqual([]);
    expect(await prepared.rows(db, newerThan, { at: 1, not: 'd' })).toEqual([{ name: 'b' }]);
    expect(await prepared.rows(db, newerThan, { at: 0, not: 'b' })).toEqual([{ name: 'a' }, { name: 'd' }]);
    // One SQL text per query, whatever the values.
    expect(new Set(executed).size).toBe(2);
  });

  it('inserts rows by their own keys, leaving out undefined values as the builder does', async () => {
    const prepared = new PreparedStatements();
    await prepared.insert(db, 'playbooks', { name: 'a', definition: 'x', updated_at: 1 });
    await prepared.insert(db, 'playbooks', { name: 'b', definition: 'y', updated_at: 2 });
    await prepared.insert(db, 'playbooks', { name: 'c', definition: undefined, updated_at: 3 });
    expect(raw.prepare('select * from playbooks order by name').all()).toEqual([
      { name: 'a', definition: 'x', updated_at: 1 },
      { name: 'b', definition: 'y', updated_at: 2 },
      { name: 'c', definition: null, updated_at: 3 },
    ]);
    expect(executed.filter((s) => s.startsWith('insert'))).toEqual([
      'insert into "playbooks" ("name", "definition", "updated_at") values (?, ?, ?)',
      'insert into "playbooks" ("name", "definition", "updated_at") values (?, ?, ?)',
      'insert into "playbooks" ("name", "updated_at") values (?, ?)',
    ]);
  });

  it('updates the row a key selects and says how many rows changed', async () => {
    const prepared = new PreparedStatements();
    raw.exec("insert into playbooks values ('a', 'x', 1), ('b', 'y', 2)");
    expect(await prepared.update(db, { table: 'playbooks', key: 'name', value: 'b' }, { definition: 'changed', updated_at: 9 })).toBe(1);
    expect(await prepared.update(db, { table: 'playbooks', key: 'name', value: 'nope' }, { definition: 'changed', updated_at: 9 })).toBe(0);
    // A value the same as a key's name, or as another column's, goes where it belongs.
    expect(await prepared.update(db, { table: 'playbooks', key: 'name', value: 'a' }, { definition: 'name' })).toBe(1);
    expect(raw.prepare('select * from playbooks order by name').all()).toEqual([
      { name: 'a', definition: 'name', updated_at: 1 },
      { name: 'b', definition: 'changed', updated_at: 9 },
    ]);
  });

  it('refuses to run a query without a value for one of its slots', async () => {
    const prepared = new PreparedStatements();
    await expect(prepared.rows(db, byName, {} as { name: string })).rejects.toThrow('no value for name');
  });

  it('runs statements without values as they are', async () => {
    const prepared = new PreparedStatements();
    await prepared.statement(db, 'begin');
    await prepared.statement(db, 'savepoint s');
    await prepared.insert(db, 'playbooks', { name: 'a', definition: 'x', updated_at: 1 });
    await prepared.statement(db, 'rollback to savepoint s');
    await prepared.statement(db, 'release savepoint s');
    await prepared.statement(db, 'commit');
    expect(raw.prepare('select count(*) as n from playbooks').get()).toEqual({ n: 0 });
  });

  it('runs on a held connection without the executor: the same answers, the compiled queries shared', async () => {
    const prepared = new PreparedStatements();
    const direct: string[] = [];
    const sqlite = sqliteDirectRunner(withStatementCache(raw));
    const run: DirectRunner = (query) => {
      direct.push(query.sql);
      return sqlite(query);
    };
    const held = prepared.runningOn(run);
    // Compiled through one, run through the other.
    await prepared.insert(db, 'playbooks', { name: 'a', definition: 'x', updated_at: 1 });
    await held.insert(db, 'playbooks', { name: 'b', definition: 'y', updated_at: 2 });
    await held.statement(db, 'savepoint s');
    expect(await held.update(db, { table: 'playbooks', key: 'name', value: 'b' }, { updated_at: 5 })).toBe(1);
    expect(await held.update(db, { table: 'playbooks', key: 'name', value: 'nope' }, { updated_at: 5 })).toBe(0);
    await held.statement(db, 'release savepoint s');
    expect(await held.rows(db, newerThan, { at: 1, not: 'x' })).toEqual([{ name: 'b' }]);
    expect(await held.rows(db, byName, { name: 'a' })).toEqual(await prepared.rows(db, byName, { name: 'a' }));
    // Kysely saw only what ran through it; the held runner ran the rest, with the same SQL.
    expect(executed).toHaveLength(2);
    expect(executed[0]).toBe(direct[0]);
    expect(direct).toHaveLength(7);
    expect(new Set([...executed, ...direct]).size).toBe(6);
    // A failing statement fails the call, as it would through Kysely.
    await expect(held.insert(db, 'playbooks', { name: 'a', definition: 'again', updated_at: 3 })).rejects.toThrow(/UNIQUE/);
    expect(raw.prepare('select * from playbooks order by name').all()).toEqual([
      { name: 'a', definition: 'x', updated_at: 1 },
      { name: 'b', definition: 'y', updated_at: 5 },
    ]);
  });
});
