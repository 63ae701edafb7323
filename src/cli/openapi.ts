import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/index.js';
import { createApp } from '../platform/http/create-app.js';
import { buildOpenApiDocument } from '../platform/openapi/swagger.js';

/** The committed spec, at the repository root (the same relative path from src/cli and dist/cli). */
export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));

/**
 * The whole app, built without a database: the DataSource is created but never initialised
 * (`manualInitialization`), jobs never start, and the app is never `init()`ed or `listen()`ed,
 * so no lifecycle hook opens a connection. Close it when done.
 *
 * The configuration is fixed rather than read from the environment so that the generated document
 * is the same on every machine (`openapi:check` compares it byte for byte).
 */
export async function createOfflineApp(): Promise<NestFastifyApplication> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://offline/offline',
    JOBS_ENABLED: 'false',
    DEMO_SEED: 'false',
    LOG_LEVEL: 'silent',
  });
  config.database.connect = false;
  return createApp(AppModule.forRoot(config), config, { swaggerUi: false });
}

/** The spec as committed: sorted keys, 2-space JSON, trailing newline. */
export function renderOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function generateOpenApi(): Promise<string> {
  const app = await createOfflineApp();
  try {
    return renderOpenApi(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

/** `write` regenerates openapi/openapi.json; `check` fails when the committed file is stale. */
export async function runOpenApiCli(mode: string | undefined): Promise<number> {
  if (mode !== 'write' && mode !== 'check') {
    process.stderr.write('usage: openapi.js write|check\n');
    return 2;
  }
  const generated = await generateOpenApi();
  if (mode === 'write') {
    await mkdir(dirname(OPENAPI_FILE), { recursive: true });
    await writeFile(OPENAPI_FILE, generated, 'utf8');
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
    return 0;
  }
  const committed = await readFile(OPENAPI_FILE, 'utf8').catch(() => undefined);
  if (committed === generated) {
    process.stdout.write('openapi/openapi.json is up to date\n');
    return 0;
  }
  process.stderr.write(
    committed === undefined
      ? 'openapi/openapi.json is missing: run `npm run openapi` and commit the result.\n'
      : `openapi/openapi.json is stale (${firstDifference(committed, generated)}): ` +
          'run `npm run openapi` and commit the result.\n',
  );
  return 1;
}

function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')}, generated ${JSON.stringify(b[at] ?? '<end>')}`;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runOpenApiCli(process.argv[2]).then(
    // Exit explicitly: a library handle left open must not keep CI waiting on a finished check.
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `openapi generation failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
