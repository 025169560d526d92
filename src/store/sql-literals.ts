import { sql } from 'kysely';

/*
 * Constants written into the SQL text instead of bound as parameters.
 *
 * SQLite as better-sqlite3 builds it (with STAT4) marks a prepared statement stale whenever a
 * parameter the query planner looked at is bound again, and prepares it anew before the next
 * step. A bound LIMIT is such a parameter, and so is a bound status that decides whether a
 * partial index (firing alerts, muted alerts, open incidents) can answer the query. On the
 * ingest path that meant a fresh prepare for nearly every lookup: `limit ?` cost 6 µs more than
 * `limit 1`, and the firing-alert lookup took 22 µs instead of 7. As literals the statements are
 * prepared once and reused. Only constants belong here, never a caller's value.
 */

export const one = sql.lit(1);
export const firing = sql.lit('firing');
export const muted = sql.lit('muted');
/** The statuses of an open incident, as the partial index `incidents_open_group` spells them. */
export const openStatuses = [sql.lit('triggered'), sql.lit('acknowledged')];
