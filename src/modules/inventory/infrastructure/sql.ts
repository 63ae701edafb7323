import type { DataSource, EntityManager, QueryResult } from 'typeorm';

/**
 * Rows of any statement, RETURNING included (TypeORM answers UPDATE/DELETE with `[rows, count]`
 * unless asked for a structured result).
 */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (!manager.queryRunner) return (await manager.query(sql, params)) as T[];
  const result = (await manager.queryRunner.query(sql, params, true)) as QueryResult<T>;
  return result.records ?? [];
}

const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

/**
 * One transaction, tried again on a deadlock or serialization failure (PostgreSQL rolled the
 * whole transaction back, so running it again is safe). Writers lock positions in one order,
 * so this is a guard for the unforeseen (e.g. an event id reused across two batches at once).
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
      if (attempt >= ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/**
 * Runs `work` on the caller's transaction inside a savepoint, so that a failure undoes exactly
 * what `work` did and leaves the caller's transaction usable (e.g. to store an order on hold).
 */
export async function inSavepoint<T>(
  manager: EntityManager,
  name: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('Pass an EntityManager inside a transaction (dataSource.transaction)');
  }
  await manager.query(`SAVEPOINT ${name}`);
  try {
    const result = await work(manager);
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
