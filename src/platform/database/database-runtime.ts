import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseRuntime {
  url: string;
  /** Present when Crossdock started its own PostgreSQL; stop it after the app. */
  embedded?: EmbeddedPostgres;
}

/**
 * Resolves the hub database for `npm start` and the CLIs: DATABASE_URL when set, else the
 * embedded PostgreSQL in DATA_DIR (initialised on first use, reused afterwards). Sets
 * `config.database.url` so everything built afterwards connects to it.
 */
export async function startDatabaseRuntime(
  config: AppConfig,
  logger: Logger,
  options: { ownProcessGroup?: boolean } = {},
): Promise<DatabaseRuntime> {
  if (config.database.url) return { url: config.database.url };
  const started = Date.now();
  const embedded = new EmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.embeddedPort,
    database: 'crossdock',
    onLog: (line) => logger.debug({ postgres: line }, 'postgres'),
    ownProcessGroup: options.ownProcessGroup,
    onUnexpectedExit: (detail) =>
      logger.error({ postgres: detail }, 'embedded PostgreSQL exited while the hub was using it'),
  });
  const { initialised } = await embedded.start();
  config.database.url = embedded.url;
  logger.info(
    {
      dataDir: config.database.dataDir,
      port: config.database.embeddedPort,
      initialised,
      ms: Date.now() - started,
    },
    initialised
      ? 'embedded PostgreSQL initialised and started'
      : 'embedded PostgreSQL started (existing data)',
  );
  return { url: embedded.url, embedded };
}
