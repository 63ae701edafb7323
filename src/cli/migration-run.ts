import 'reflect-metadata';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { hubMigrations } from '../migrations.js';
import { ConfigValidationError, loadConfig } from '../config/index.js';
import { hubDataSourceOptions, startDatabaseRuntime } from '../platform/database/index.js';

/** `npm run migration:run`: applies pending hub migrations to DATABASE_URL (or the embedded DB). */
async function main(): Promise<void> {
  const logger = pino({ base: { context: 'migration:run' } });
  const config = loadConfig();
  const runtime = await startDatabaseRuntime(config, logger);
  const dataSource = new DataSource(hubDataSourceOptions(runtime.url, hubMigrations));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.info({ applied: applied.map((m) => m.name) }, `${applied.length} migration(s) applied`);
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await runtime.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigValidationError
      ? `${error.message}\n`
      : `migration failed: ${String(error)}\n`,
  );
  process.exit(1);
});
