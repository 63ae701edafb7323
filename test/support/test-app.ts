import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module.js';
import { loadConfig, type AppConfig } from '../../src/config/index.js';
import { createApp } from '../../src/platform/http/create-app.js';

@Module({})
class TestRootModule {}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The hub's pool wait in tests (DATABASE_POOL_TIMEOUT_MS): generous, see startTestApp. */
export const TEST_POOL_TIMEOUT_MS = '60000';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export interface StartTestAppOptions {
  /** Extra modules/controllers beside the real AppModule (test-only routes, port bindings). */
  imports?: NonNullable<ModuleMetadata['imports']>;
  controllers?: NonNullable<ModuleMetadata['controllers']>;
  providers?: NonNullable<ModuleMetadata['providers']>;
  /**
   * Binds the ERP ports itself: the app's own adapter set stays out (AppModule `erpAdapter:
   * false`) and these modules (built from the loaded config) are imported instead, e.g. the real
   * adapter set plus an in-memory implementation of a port it does not bind.
   */
  erp?: (config: AppConfig) => NonNullable<ModuleMetadata['imports']>;
  /** Adjusts the loaded configuration before the app is built (what no variable can express). */
  configure?: (config: AppConfig) => void;
}

/** The real app on a real port against the suite's PostgreSQL, logs captured in memory. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: StartTestAppOptions = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: testDatabaseUrl(),
    // Two jest workers and a busy CI machine: a burst of 100 requests may queue for a pool
    // connection longer than production's 5 s. What a test asserts never depends on it.
    DATABASE_POOL_TIMEOUT_MS: TEST_POOL_TIMEOUT_MS,
    // Fewer pg-boss workers per test app: every worker caught mid-fetch when an app closes is one
    // more chance of pg-boss's worker-removal loop outliving the test file (it sleeps between
    // looks and requires a module each time). The tests that measure posting set their own.
    SHIPMENT_POSTING_CONCURRENCY: '2',
    PORT: '0',
    ...env,
  });
  options.configure?.(config);
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [
      AppModule.forRoot(config, {
        logDestination: sink,
        ...(options.erp ? { erpAdapter: false } : {}),
      }),
      ...(options.erp?.(config) ?? []),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  };
  const app = await createApp(root, config, { swaggerUi: true });
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const baseUrl = await app.getUrl();
  return {
    app,
    config,
    baseUrl: baseUrl.replace('[::1]', '127.0.0.1'),
    logs,
    close: () => app.close(),
  };
}
