import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from './config/index.js';
import { startHub } from './hub.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  const hub = await startHub(config);
  // Close Nest first (in-flight requests, jobs, pool), then the embedded PostgreSQL: no orphans.
  const shutdown = (signal: string): void => {
    process.stderr.write(`${signal} received, shutting down\n`);
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Crossdock failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
