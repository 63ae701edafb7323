import type { QueryResult, QueryRunner } from 'typeorm';

/**
 * Rows of any statement, RETURNING included. (`QueryRunner.query` without a structured result
 * answers UPDATE/DELETE with `[rows, count]` and everything else with `rows`.)
 */
export async function queryRows<T>(
  runner: QueryRunner,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = (await runner.query(sql, params, true)) as QueryResult<T>;
  return result.records ?? [];
}
