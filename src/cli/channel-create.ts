import 'reflect-metadata';
import pg from 'pg';
import { hubMigrations } from '../migrations.js';
import pino from 'pino';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { type AppConfig, ConfigValidationError, loadConfig } from '../config/index.js';
import { ApplicationError, type Violation } from '../platform/errors/index.js';
// Direct imports rather than the auth index: a CLI has no use for controllers and Swagger.
import { ApiKeyOrmEntity } from '../platform/auth/api-key.orm-entity.js';
import { CHANNEL_KINDS, SCOPES } from '../platform/auth/auth.types.js';
import { ChannelOrmEntity } from '../platform/auth/channel.orm-entity.js';
import {
  ChannelsService,
  type CreateChannelInput,
  validateChannelInput,
} from '../platform/auth/channels.service.js';
import {
  EmbeddedPostgres,
  hubDataSourceOptions,
  startDatabaseRuntime,
} from '../platform/database/index.js';

const USAGE = `Usage: npm run channel:create -- --name <name> --kind <kind> --scopes <scope,scope,...> [--rate-limit <per minute>]

  --kind        ${CHANNEL_KINDS.join(' | ')}
  --scopes      comma-separated, from: ${SCOPES.join(', ')}
  --rate-limit  requests per minute for this channel (default: RATE_LIMIT_PER_MINUTE)

Prints the new channel's API key on stdout, once: it is stored hashed and cannot be shown again.
`;

class UsageError extends Error {}

/**
 * `npm run channel:create`: creates a channel and its first API key in the hub database
 * (DATABASE_URL, else the embedded PostgreSQL in DATA_DIR), through the same ChannelsService the
 * hub uses. stdout carries the key alone, so `KEY=$(npm run -s channel:create -- ...)` works;
 * everything else goes to stderr.
 */
async function main(): Promise<number> {
  let input: CreateChannelInput;
  let config: AppConfig;
  try {
    input = parseArguments(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 1;
    }
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Fail on a bad kind or scope before starting a database for nothing.
  const violations = validateChannelInput(input);
  if (violations.length > 0) {
    process.stderr.write(describeViolations('The channel request is invalid.', violations));
    return 1;
  }

  const logger = pino(
    { level: config.logLevel, base: { context: 'channel:create' } },
    pino.destination({ dest: 2, sync: true }),
  );
  const reused = await connectToRunningEmbedded(config);
  const runtime = reused ? undefined : await startDatabaseRuntime(config, logger);
  const dataSource = new DataSource({
    ...hubDataSourceOptions(config.database.url as string, hubMigrations),
    entities: [ChannelOrmEntity, ApiKeyOrmEntity],
    extra: { max: 2, connectionTimeoutMillis: 5000 },
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const { channel, apiKey } = await new ChannelsService(dataSource).createChannel(input);
    process.stderr.write(
      `Created channel ${channel.name} (${channel.kind}, id ${channel.id}) with scopes ` +
        `${channel.keys[0].scopes.join(', ') || '(none)'}` +
        `${channel.rateLimitPerMinute ? `, ${channel.rateLimitPerMinute} requests/minute` : ''}.\n` +
        'Its API key follows; it is shown this once, store it now:\n',
    );
    process.stdout.write(`${apiKey}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ApplicationError) {
      process.stderr.write(describeViolations(error.message, error.violations));
      return 1;
    }
    throw error;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await runtime?.embedded?.stop();
  }
}

function parseArguments(args: string[]): CreateChannelInput {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        kind: { type: 'string' },
        scopes: { type: 'string' },
        'rate-limit': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const missing = ['name', 'kind', 'scopes'].filter((option) => !values[option]);
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
  const rateLimit = values['rate-limit'];
  if (rateLimit !== undefined && !/^\d+$/.test(rateLimit)) {
    throw new UsageError(`--rate-limit must be a whole number of requests per minute.`);
  }
  return {
    name: values.name as string,
    kind: values.kind as string,
    scopes: (values.scopes as string)
      .split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope.length > 0),
    rateLimitPerMinute: rateLimit === undefined ? undefined : Number(rateLimit),
  };
}

/**
 * With no DATABASE_URL, a hub started by `npm start` may already run the embedded PostgreSQL.
 * Starting it again would stop that server under the running hub (EmbeddedPostgres takes over a
 * cluster it finds running), so use the running server when one answers.
 */
async function connectToRunningEmbedded(config: AppConfig): Promise<boolean> {
  if (config.database.url) return false;
  const url = new EmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.embeddedPort,
    database: 'crossdock',
  }).url;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
  } catch {
    // Nothing answers (or no crossdock database yet): start the embedded server ourselves.
    await client.end().catch(() => undefined);
    return false;
  }
  config.database.url = url;
  return true;
}

function describeViolations(message: string, violations: Violation[]): string {
  return `${message}\n${violations.map((v) => `  - ${v.field ?? ''}: ${v.message}\n`).join('')}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `channel:create failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
