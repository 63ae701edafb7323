/** The test database of jest worker `worker` (1-based): the run's database for worker 1. */
export function workerDatabaseName(runDatabase: string, worker: number): string {
  return worker <= 1 ? runDatabase : `${runDatabase}_w${worker}`;
}
