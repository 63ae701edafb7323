import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/index.js';
import { type EmbeddedPostgres, startDatabaseRuntime } from './platform/database/index.js';
import { createApp } from './platform/http/create-app.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
  sandboxCredentials,
} from './erp-simulators/cloud/index.js';

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
  // The hub handles SIGINT/SIGTERM itself and stops PostgreSQL last (see main.ts).
  const { embedded } = await startDatabaseRuntime(config, bootLogger, { ownProcessGroup: true });
  let app: NestFastifyApplication;
  let sandbox: CloudErpSandbox | undefined;
  try {
    sandbox = await startDemoCloudErp(config, bootLogger);
    app = await createApp(AppModule.forRoot(config), config);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await sandbox?.close();
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
        await sandbox?.close();
        await embedded?.stop();
      })()),
  };
}

/**
 * Demo convenience: ERP_ADAPTER=cloud without CLOUD_ERP_BASE_URL runs the cloud ERP sandbox
 * (Business Central look-alike over the demo dataset, data in memory) in this process and points
 * the adapter at it. Never what a deployment wants, so it says so loudly.
 */
async function startDemoCloudErp(
  config: AppConfig,
  logger: pino.Logger,
): Promise<CloudErpSandbox | undefined> {
  if (config.erpAdapter !== 'cloud' || config.cloudErp.baseUrl) return undefined;
  const sandbox = await startCloudErpSandbox({ scale: 1 });
  config.cloudErp = {
    ...config.cloudErp,
    ...sandboxCredentials(sandbox),
  };
  logger.warn(
    { sandbox: sandbox.url, company: sandbox.companyId },
    'ERP_ADAPTER=cloud without CLOUD_ERP_BASE_URL: DEMO ONLY, the cloud ERP sandbox runs in-process ' +
      '(demo dataset in memory, lost on exit); set CLOUD_ERP_BASE_URL and credentials for a real ERP',
  );
  return sandbox;
}
