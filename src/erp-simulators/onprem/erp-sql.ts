import pg from 'pg';
import { DataSource } from 'typeorm';

/** Anything that reaches the ERP database: a TypeORM DataSource, a pg Pool, or a pg client. */
export type ErpSqlTarget = DataSource | pg.Pool | pg.ClientBase;

export interface ErpSqlResult<R> {
  rows: R[];
  rowCount: number;
}

/** One connection, pg-style results whichever target it came from. */
export interface ErpSql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<ErpSqlResult<R>>;
}

/** Runs `work` on one connection of `target` (a client is used as is, never released). */
export async function withErpConnection<T>(
  target: ErpSqlTarget,
  work: (sql: ErpSql) => Promise<T>,
): Promise<T> {
  if (target instanceof DataSource) {
    const runner = target.createQueryRunner();
    await runner.connect();
    try {
      return await work({
        query: async <R>(text: string, params?: unknown[]) => {
          const result = await runner.query(text, params, true);
          return { rows: (result.records ?? []) as R[], rowCount: result.affected ?? 0 };
        },
      });
    } finally {
      await runner.release();
    }
  }
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    try {
      return await work(clientSql(client));
    } finally {
      client.release();
    }
  }
  return work(clientSql(target));
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export function inErpTransaction<T>(
  target: ErpSqlTarget,
  work: (sql: ErpSql) => Promise<T>,
): Promise<T> {
  return withErpConnection(target, async (sql) => {
    await sql.query('BEGIN');
    try {
      const result = await work(sql);
      await sql.query('COMMIT');
      return result;
    } catch (error) {
      // A rollback on a connection that just died fails too: the first error is the one that
      // says what happened (and the rollback's must not escape on its own).
      await sql.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

function clientSql(client: pg.ClientBase): ErpSql {
  return {
    query: async <R>(text: string, params?: unknown[]) => {
      const result = await client.query(text, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
  };
}
