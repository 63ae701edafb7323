import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from './config/index.js';
import { type RunningHub, startHub } from './hub.js';

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
  // Close Nest first (in-flight requests, jobs, pool), then the embedded PostgreSQL: no orphans.
  // The handlers are installed before anything starts (the embedded PostgreSQL runs in its own
  // process group, so a signal's default action here would leave it behind) and stay installed:
  // Ctrl-C reaches both `npm start` and this process, and npm forwards its copy too.
  let hub: RunningHub | undefined;
  let signalled: string | undefined;
  const stop = (running: RunningHub): void => {
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string): void => {
    if (signalled) return;
    signalled = signal;
    process.stderr.write(`${signal} received, shutting down\n`);
    if (hub) stop(hub);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  try {
    hub = await startHub(config);
  } catch (error) {
    // startHub stopped what it had started; a signal during start is not a start failure.
    if (signalled) process.exit(0);
    throw error;
  }
  if (signalled) stop(hub);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Crossdock failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
