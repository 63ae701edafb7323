import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/index.js';
import { type EmbeddedPostgres, startDatabaseRuntime } from './platform/database/index.js';
import { createApp } from './platform/http/create-app.js';

export interface RunningHub {
  app: NestFastifyApplication;
  url: string;
  embedded?: EmbeddedPostgres;
  stop(): Promise<void>;
}

/**
 * Starts everything `npm start` needs: the embedded PostgreSQL when no DATABASE_URL is set,
 * then the app (migrations run as the DataSource connects), then the HTTP listener.
 */
export async function startHub(config: AppConfig): Promise<RunningHub> {
  const bootLogger = pino({
    level: config.logLevel,
    base: { context: 'Bootstrap' },
  });
  const { embedded } = await startDatabaseRuntime(config, bootLogger);
  let app: NestFastifyApplication;
  try {
    app = await createApp(AppModule.forRoot(config), config);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const url = await app.getUrl();
  bootLogger.info(
    { url, docs: `${url}/docs`, ready: `${url}/health/ready` },
    'Crossdock is serving',
  );
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    embedded,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await embedded?.stop();
      })()),
  };
}
