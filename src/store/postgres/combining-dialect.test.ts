import { CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely';
import { describe, expect, it } from 'vitest';
import { asDeferredInsert, flushQuery } from '../prepared.js';
import { CombiningConnection, combined } from './combining-dialect.js';

// What the connection sends, checked against a recording connection; the PostgreSQL store
// contract (npm run test:integration) runs the same code against the real server.

class Recording implements DatabaseConnection {
  readonly sent: CompiledQuery[] = [];
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.sent.push(query);
    return Promise.resolve({ rows: [], numAffectedRows: 1n });
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('not used');
  }
}

const deferred = (sql: string, ...parameters: unknown[]): CompiledQuery => asDeferredInsert(CompiledQuery.raw(sql, parameters));

/** A combining connection over a recording one, and the SQL it has sent so far. */
function recorded(): { c: CombiningConnection; inner: Recording; sent: () => string[] } {
  const inner = new Recording();
  return { c: new CombiningConnection(inner), inner, sent: () => inner.sent.map((q) => q.sql) };
}

describe('combined', () => {
  it('puts statements before the last as CTEs and renumbers each one\'s parameters after those before it', () => {
    const query = combined(
      [CompiledQuery.raw('insert into "a" ("x", "y") values ($1, $2)', [1, 2]), CompiledQuery.raw('insert into "b" ("z") values ($1)', [3])],
      CompiledQuery.raw('update "c" set "v" = $1 where "id" = $2', [4, 5]),
    );
    expect(query.sql).toBe('with "d0" as (insert into "a" ("x", "y") values ($1, $2)), "d1" as (insert into "b" ("z") values ($3)) update "c" set "v" = $4 where "id" = $5');
    expect(query.parameters).toEqual([1, 2, 3, 4, 5]);
  });

  it('renumbers two-digit parameters as numbers, not as text', () => {
    const many = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    const query = combined([CompiledQuery.raw(`insert into "a" values (${many})`, Array.from({ length: 12 }, (_, i) => i))], CompiledQuery.raw('insert into "b" values ($1, $10)', ['x', 'y']));
    expect(query.sql.endsWith('insert into "b" values ($13, $22)')).toBe(true);
  });
});

describe('CombiningConnection', () => {
  it('holds marked inserts until the next statement, and sends them with an update of another table', async () => {
    const { c, inner, sent } = recorded();
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a1'));
    await c.executeQuery(deferred('insert into "audit_records" ("seq") values ($1)', 7));
    expect(inner.sent).toEqual([]);
    expect(c.held).toBe(2);
    await c.executeQuery(CompiledQuery.raw('update "incidents" set "n" = $1 where "id" = $2', [3, 'inc-1']));
    expect(sent()).toEqual([
      'with "d0" as (insert into "alerts" ("id") values ($1)), "d1" as (insert into "audit_records" ("seq") values ($2)) update "incidents" set "n" = $3 where "id" = $4',
    ]);
    expect(inner.sent[0]!.parameters).toEqual(['a1', 7, 3, 'inc-1']);
    expect(c.held).toBe(0);
  });

  it('sends what it holds on its own before a read, before an update of a table it holds rows for, and at a flush point', async () => {
    const { c, sent } = recorded();
    await c.executeQuery(deferred('insert into "incidents" ("id") values ($1)', 'inc-1'));
    await c.executeQuery(CompiledQuery.raw('select * from "incidents" where "id" = $1', ['inc-1']));
    await c.executeQuery(deferred('insert into "incidents" ("id") values ($1)', 'inc-2'));
    await c.executeQuery(CompiledQuery.raw('update "incidents" set "n" = $1 where "id" = $2', [1, 'inc-2']));
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a1'));
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a2'));
    await c.executeQuery(flushQuery);
    await c.executeQuery(flushQuery);
    expect(sent()).toEqual([
      'insert into "incidents" ("id") values ($1)',
      'select * from "incidents" where "id" = $1',
      'insert into "incidents" ("id") values ($1)',
      'update "incidents" set "n" = $1 where "id" = $2',
      'with "d0" as (insert into "alerts" ("id") values ($1)) insert into "alerts" ("id") values ($2)',
    ]);
  });

  it('never combines an update that reads', async () => {
    const { c, sent } = recorded();
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a1'));
    await c.executeQuery(CompiledQuery.raw('update "incidents" set "n" = (select count(*) from "alerts") where "id" = $1', ['inc-1']));
    expect(sent()).toEqual(['insert into "alerts" ("id") values ($1)', 'update "incidents" set "n" = (select count(*) from "alerts") where "id" = $1']);
  });

  it('drops what it holds at a rollback, and sends an unmarked statement at once', async () => {
    const { c, sent } = recorded();
    await c.executeQuery(CompiledQuery.raw('savepoint unit'));
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a1'));
    await c.executeQuery(CompiledQuery.raw('rollback to savepoint unit'));
    await c.executeQuery(CompiledQuery.raw('release savepoint unit'));
    expect(sent()).toEqual(['savepoint unit', 'rollback to savepoint unit', 'release savepoint unit']);
  });

  it('never holds a statement with a literal, and never combines one', async () => {
    const { c, sent } = recorded();
    await c.executeQuery(deferred("insert into \"alerts\" (\"id\") values ('$1')"));
    await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', 'a1'));
    await c.executeQuery(CompiledQuery.raw("update \"incidents\" set \"status\" = 'resolved' where \"id\" = $1", ['inc-1']));
    expect(sent()).toEqual([
      "insert into \"alerts\" (\"id\") values ('$1')",
      'insert into "alerts" ("id") values ($1)',
      "update \"incidents\" set \"status\" = 'resolved' where \"id\" = $1",
    ]);
  });

  it('holds at most 32 inserts: the 33rd sends them all', async () => {
    const { c, inner } = recorded();
    for (let i = 0; i < 33; i += 1) await c.executeQuery(deferred('insert into "alerts" ("id") values ($1)', `a${i}`));
    expect(inner.sent).toHaveLength(2);
    expect(inner.sent[0]!.parameters).toHaveLength(32);
    expect(inner.sent[1]!.parameters).toEqual(['a32']);
  });
});
