import pg from 'pg';

let installed = false;
let sent = 0;

/**
 * Counts the statements this process sends to PostgreSQL through `pg` (TypeORM's driver and
 * pg-boss both use it): wraps `pg.Client.prototype.query` once, for the bench process only.
 * Returns a reader of the running total; the difference over a load step, divided by the
 * requests it served, is the database round trips per request (background polling included).
 */
export function countQueries(): () => number {
  if (!installed) {
    const prototype = pg.Client.prototype as unknown as {
      query: (this: pg.Client, ...args: unknown[]) => unknown;
    };
    const original = prototype.query;
    prototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
      sent++;
      return original.apply(this, args);
    };
    installed = true;
  }
  return () => sent;
}
