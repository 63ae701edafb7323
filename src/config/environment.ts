import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ERP_ADAPTERS = ['onprem', 'cloud'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

/**
 * The process environment as Crossdock reads it. Every variable is listed here, validated at boot;
 * `.env.example` and the README's configuration table document the same set.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'must be a postgres:// or postgresql:// URL',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional()
  @IsIn(ERP_ADAPTERS)
  ERP_ADAPTER?: (typeof ERP_ADAPTERS)[number];

  @IsOptional()
  @IsIn(NODE_ENVS)
  NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_RETENTION_HOURS?: number;

  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DEMO_SEED?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  JOBS_ENABLED?: boolean;

  /** Cron (UTC) of the scheduled master-data sync; `off` disables the schedule. */
  @IsOptional()
  @Matches(/^(off|\S+(\s+\S+){4,5})$/, {
    message: 'must be a cron expression of 5 or 6 fields, or "off"',
  })
  MASTER_DATA_SYNC_CRON?: string;

  /** Overlap window re-read by every master-data sync, for ERP rows that commit late. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  MASTER_DATA_SYNC_LAG_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  MASTER_DATA_SYNC_PAGE_SIZE?: number;

  /** `npm run sandbox:cloud-erp` only: port of the cloud ERP sandbox (default 4010). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  CLOUD_ERP_SANDBOX_PORT?: number;

  /** Sandbox fault injection: latency added to every API call, `"50"` or `"20-200"` ms. */
  @IsOptional()
  @Matches(/^\d+(-\d+)?$/, { message: 'must be milliseconds, "N" or "MIN-MAX"' })
  CLOUD_ERP_SANDBOX_LATENCY_MS?: string;

  /** Sandbox fault injection: share of API calls answered 5xx (0..1). */
  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  CLOUD_ERP_SANDBOX_ERROR_RATE?: number;

  /** Sandbox fault injection: share of API calls held unanswered until the socket closes (0..1). */
  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  CLOUD_ERP_SANDBOX_TIMEOUT_RATE?: number;

  /** Sandbox fault injection: share of writes applied and then dropped without a response (0..1). */
  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  CLOUD_ERP_SANDBOX_COMMIT_THEN_DROP_RATE?: number;

  /** Sandbox limit: API requests per client per 5-minute window (default 6000, as BC online). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CLOUD_ERP_SANDBOX_RATE_LIMIT?: number;
}

export interface AppConfigShape {
  port: number;
  host: string;
  nodeEnv: (typeof NODE_ENVS)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  database: {
    /** Set when an existing server is used; absent means "start the embedded PostgreSQL". */
    url?: string;
    dataDir: string;
    embeddedPort: number;
    /** False only for tools that build the app without a database (OpenAPI generation). */
    connect: boolean;
    /** True when no DATABASE_URL was given and Crossdock runs its own PostgreSQL. */
    embedded: boolean;
  };
  erpAdapter: (typeof ERP_ADAPTERS)[number];
  http: {
    bodyLimitBytes: number;
    corsOrigins: string[];
    rateLimitPerMinute: number;
  };
  idempotencyRetentionHours: number;
  metricsToken?: string;
  demoSeed: boolean;
  jobsEnabled: boolean;
  masterDataSync: {
    /** Cron (UTC) of the scheduled sync; null = no schedule (manual trigger only). */
    cron: string | null;
    lagSeconds: number;
    pageSize: number;
  };
  /** Settings of the cloud ERP sandbox CLI (`npm run sandbox:cloud-erp`); the app ignores them. */
  cloudErpSandbox: {
    port: number;
    latencyMs: [number, number] | null;
    errorRate5xx: number;
    timeoutRate: number;
    commitThenDropRate: number;
    /** Requests per client per 5 minutes; null = BC online's 6,000. */
    rateLimitRequests: number | null;
  };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

/** The DI token and the type of the validated configuration. */
export class AppConfig implements AppConfigShape {
  port: number;
  host: string;
  nodeEnv: AppConfigShape['nodeEnv'];
  logLevel: AppConfigShape['logLevel'];
  database: AppConfigShape['database'];
  erpAdapter: AppConfigShape['erpAdapter'];
  http: AppConfigShape['http'];
  idempotencyRetentionHours: number;
  metricsToken?: string;
  demoSeed: boolean;
  jobsEnabled: boolean;
  masterDataSync: AppConfigShape['masterDataSync'];

  cloudErpSandbox: AppConfigShape['cloudErpSandbox'];
  constructor(shape: AppConfigShape) {
    Object.assign(this, shape);
  }
}

/** Reads and validates the environment; throws ConfigValidationError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) raw[key] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, raw, {
    excludeExtraneousValues: false,
  });
  const errors = validateSync(vars, {
    whitelist: false,
    skipMissingProperties: false,
  });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.map((e) => ({
        variable: e.property,
        reason: `${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(e.value)})`,
      })),
    );
  }
  const nodeEnv = vars.NODE_ENV ?? 'development';
  return new AppConfig({
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '127.0.0.1',
    nodeEnv,
    logLevel: vars.LOG_LEVEL ?? 'info',
    database: {
      url: vars.DATABASE_URL,
      dataDir: vars.DATA_DIR ?? join(tmpdir(), 'crossdock-data'),
      embeddedPort: vars.EMBEDDED_PG_PORT ?? 54329,
      connect: true,
      embedded: vars.DATABASE_URL === undefined,
    },
    erpAdapter: vars.ERP_ADAPTER ?? 'onprem',
    http: {
      bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1024 * 1024,
      corsOrigins: (vars.CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 600,
    },
    idempotencyRetentionHours: vars.IDEMPOTENCY_RETENTION_HOURS ?? 72,
    metricsToken: vars.METRICS_TOKEN,
    // Demo keys are printed only for the embedded database, never against a real server.
    demoSeed: vars.DATABASE_URL === undefined && (vars.DEMO_SEED ?? true),
    jobsEnabled: vars.JOBS_ENABLED ?? true,
    masterDataSync: {
      cron:
        vars.MASTER_DATA_SYNC_CRON === 'off'
          ? null
          : (vars.MASTER_DATA_SYNC_CRON ?? '*/15 * * * *'),
      lagSeconds: vars.MASTER_DATA_SYNC_LAG_SECONDS ?? 120,
      pageSize: vars.MASTER_DATA_SYNC_PAGE_SIZE ?? 500,
    },
    cloudErpSandbox: {
      port: vars.CLOUD_ERP_SANDBOX_PORT ?? 4010,
      latencyMs: parseLatency(vars.CLOUD_ERP_SANDBOX_LATENCY_MS),
      errorRate5xx: vars.CLOUD_ERP_SANDBOX_ERROR_RATE ?? 0,
      timeoutRate: vars.CLOUD_ERP_SANDBOX_TIMEOUT_RATE ?? 0,
      commitThenDropRate: vars.CLOUD_ERP_SANDBOX_COMMIT_THEN_DROP_RATE ?? 0,
      rateLimitRequests: vars.CLOUD_ERP_SANDBOX_RATE_LIMIT ?? null,
    },
  });
}

/** `"50"` → [50, 50]; `"20-200"` → [20, 200]; absent → null. */
function parseLatency(value: string | undefined): [number, number] | null {
  if (value === undefined) return null;
  const [min, max = min] = value.split('-').map(Number);
  return [Math.min(min, max), Math.max(min, max)];
}
