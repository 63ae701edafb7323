import { parseArgs, type ParseArgsConfig } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { type AppConfig, ConfigValidationError, loadConfig } from '../config/index.js';
import { ApplicationError, type Violation } from '../platform/errors/index.js';
// Direct imports rather than the auth index: a CLI has no use for controllers and Swagger.
import { ApiKeyOrmEntity } from '../platform/auth/api-key.orm-entity.js';
import { ChannelCustomerOrmEntity } from '../platform/auth/channel-customer.orm-entity.js';
import { ChannelOrmEntity } from '../platform/auth/channel.orm-entity.js';
import { ChannelsService } from '../platform/auth/channels.service.js';
import {
  EmbeddedPostgres,
  hubDataSourceOptions,
  startDatabaseRuntime,
} from '../platform/database/index.js';
import { hubMigrations } from '../migrations.js';

/** A bad command line: printed with the usage, exit code 1. */
export class UsageError extends Error {}

export interface ChannelsCli<T> {
  /** e.g. `channel:create`: names the log context and the failure message. */
  name: string;
  usage: string;
  /** Parses and checks the arguments before any database is started (throws UsageError). */
  parse(args: string[]): T;
  /** Violations found without a database (bad kind, scope, customer number...). */
  validate?(input: T): Violation[];
  run(channels: ChannelsService, input: T): Promise<number>;
}

/**
 * Runs a channel CLI against the hub database (DATABASE_URL, else the embedded PostgreSQL in
 * DATA_DIR) through the same ChannelsService the hub uses, so changes notify running instances.
 * Expected failures (ApplicationError) print their message and violations, exit code 1.
 */
export function runChannelsCli<T>(cli: ChannelsCli<T>): void {
  main(cli).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${cli.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}

async function main<T>(cli: ChannelsCli<T>): Promise<number> {
  let input: T;
  let config: AppConfig;
  try {
    input = cli.parse(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${cli.usage}`);
      return 1;
    }
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const violations = cli.validate?.(input) ?? [];
  if (violations.length > 0) {
    process.stderr.write(describeViolations('The request is invalid.', violations));
    return 1;
  }

  const logger = pino(
    { level: config.logLevel, base: { context: cli.name } },
    pino.destination({ dest: 2, sync: true }),
  );
  const reused = await connectToRunningEmbedded(config);
  const runtime = reused ? undefined : await startDatabaseRuntime(config, logger);
  const dataSource = new DataSource({
    ...hubDataSourceOptions(config.database.url as string, hubMigrations),
    entities: [ChannelOrmEntity, ApiKeyOrmEntity, ChannelCustomerOrmEntity],
    extra: { max: 2, connectionTimeoutMillis: 5000 },
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return await cli.run(new ChannelsService(dataSource), input);
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

/** Finds a channel by name; CHANNEL_NOT_FOUND (exit 1) otherwise. */
export async function channelNamed(channels: ChannelsService, name: string) {
  const channel = await channels.findChannelByName(name);
  if (!channel) {
    throw new ApplicationError('CHANNEL_NOT_FOUND', `No channel named "${name}".`, 'not-found');
  }
  return channel;
}

/** A CLI's option values, as node:util parseArgs reads them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/**
 * Reads `--option` arguments (no positionals; an unknown option or a missing value is a
 * UsageError, printed with the usage).
 */
export function parseOptions(args: string[], options: ParseArgsConfig['options']): OptionValues {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The `--channel <name>` every per-channel CLI needs (UsageError when missing or empty). */
export function requiredChannel(values: OptionValues): string {
  const channel = values.channel;
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new UsageError('Missing --channel.');
  }
  return channel;
}

/** `C1, C2,,C3` → ['C1', 'C2', 'C3']. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
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

export function describeViolations(message: string, violations: Violation[]): string {
  return `${message}\n${violations.map((v) => `  - ${v.field ?? ''}: ${v.message}\n`).join('')}`;
}
