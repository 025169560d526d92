import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { WriteLock } from '../write-lock.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

/**
 * Applies the migrations not applied yet, in one transaction under the write lock, so that two
 * processes starting at once apply each migration exactly once and a failed migration leaves
 * nothing behind. Returns the versions it applied.
 */
export async function migrate(
  db: Kysely<Database>,
  options: { lock: WriteLock; now: () => number; migrations?: readonly Migration[] },
): Promise<number[]> {
  const list = options.migrations ?? allMigrations;
  return db.connection().execute(async (conn) => {
    await options.lock.begin(conn);
    try {
      await conn.schema
        .createTable('vigil_migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute();
      const rows = await conn.selectFrom('vigil_migrations').select('version').execute();
      const applied = new Set(rows.map((r) => Number(r.version)));
      const done: number[] = [];
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await migration.up(conn as Kysely<unknown>);
        await conn
          .insertInto('vigil_migrations')
          .values({ version: migration.version, name: migration.name, applied_at: options.now() })
          .execute();
        done.push(migration.version);
      }
      await sql`commit`.execute(conn);
      return done;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
