import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
  @Min(2)
  @Max(500)
  DATABASE_POOL_MAX?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_POOL_TIMEOUT_MS?: number;

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

  /**
   * Failed API-key authentications allowed per client IP and minute (token bucket, burst of the
   * whole minute) before that IP gets 429 on every authenticated route until the bucket refills.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURES_PER_MINUTE?: number;

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

  /** Serve /metrics without a token (default: true outside production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  METRICS_PUBLIC?: boolean;

  /** Show the per-check details of /health/ready to anyone (default: true outside production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  HEALTH_DETAILS?: boolean;

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

  /** The system-of-record matrix (YAML or JSON); default `config/system-of-record.yaml`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  SYSTEM_OF_RECORD_FILE?: string;

  /** Cron (UTC) of the scheduled shipment and invoice sync from the ERP; `off` disables it. */
  @IsOptional()
  @Matches(/^(off|\S+(\s+\S+){4,5})$/, {
    message: 'must be a cron expression of 5 or 6 fields, or "off"',
  })
  FULFILLMENT_SYNC_CRON?: string;

  /** Overlap window re-read by every shipment/invoice sync, for ERP rows that commit late. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  FULFILLMENT_SYNC_LAG_SECONDS?: number;

  /** Shipments (or invoices) per page of the ERP feed. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  FULFILLMENT_SYNC_PAGE_SIZE?: number;

  /** How long one attempt to post a WMS/supplier shipment to the ERP holds its lease. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(3600)
  SHIPMENT_POSTING_LEASE_SECONDS?: number;

  /** Shipment postings to the ERP one instance runs at once. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  SHIPMENT_POSTING_CONCURRENCY?: number;

  /** How long after a PENDING answer (the ERP's own import queue) the hub asks again. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SHIPMENT_ERP_POLL_SECONDS?: number;

  /** Cron (UTC) of the scheduled inventory (ERP balances) sync; `off` disables the schedule. */
  @IsOptional()
  @Matches(/^(off|\S+(\s+\S+){4,5})$/, {
    message: 'must be a cron expression of 5 or 6 fields, or "off"',
  })
  INVENTORY_SYNC_CRON?: string;

  /** Overlap window re-read by every inventory sync, for ERP rows that commit late. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  INVENTORY_SYNC_LAG_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  INVENTORY_SYNC_PAGE_SIZE?: number;

  /** How long a stock reservation holds when its caller names no TTL (default 24 h). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  INVENTORY_RESERVATION_TTL_SECONDS?: number;

  /** AvailabilityChanged events of one SKU × warehouse within this window merge into one. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  INVENTORY_COALESCE_WINDOW_MS?: number;

  /**
   * The on-prem ERP's database (a real ERP: never migrated or seeded by Crossdock). Unset = demo:
   * a database named `<hub database>_erp` on the hub's server (`crossdock_erp` next to the
   * embedded `crossdock`), which the hub creates and loads with the demo dataset on start.
   */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'must be a postgres:// or postgresql:// URL',
  })
  ERP_ONPREM_DATABASE_URL?: string;

  /**
   * Cloud ERP API origin, e.g. `https://api.businesscentral.dynamics.com/v2.0/<tenant>/production`
   * (the adapter appends `/api/v2.0/...`). Unset with ERP_ADAPTER=cloud: `npm start` runs the
   * cloud ERP sandbox in-process (demo only).
   */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' })
  CLOUD_ERP_BASE_URL?: string;

  /** OAuth2 token endpoint, e.g. `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' })
  CLOUD_ERP_TOKEN_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  CLOUD_ERP_CLIENT_ID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  CLOUD_ERP_CLIENT_SECRET?: string;

  /** Default `https://api.businesscentral.dynamics.com/.default`. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  CLOUD_ERP_SCOPE?: string;

  /** Business Central company id (GUID); unset = the only company the API lists. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    message: 'must be a GUID',
  })
  CLOUD_ERP_COMPANY_ID?: string;

  /** The ERP company's local currency (ISO 4217), for customers whose currency code is blank. */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as USD' })
  CLOUD_ERP_LOCAL_CURRENCY?: string;

  /**
   * The BC location code that standard BC's one stock figure per item (`items.inventory`) is
   * booked at while the custom inventoryBalances page is missing (default: the first location).
   */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  CLOUD_ERP_DEFAULT_LOCATION?: string;

  /** Client-side limit: requests per 5 minutes (default 6000, Business Central online). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  CLOUD_ERP_RATE_LIMIT?: number;

  /** Client-side limit: requests in flight at once (default 5, Business Central online). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  CLOUD_ERP_MAX_CONCURRENT?: number;

  /**
   * Requests one sync read keeps outstanding at the request gate (default 8: a few more than the
   * gate lets run, so a freed slot never waits for the sync's next request; bounded, so order
   * posting never queues behind a whole sync).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  CLOUD_ERP_SYNC_CONCURRENCY?: number;

  /** Per-request timeout in ms (default 30000). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CLOUD_ERP_TIMEOUT_MS?: number;

  /**
   * How often (seconds) the ERP adapter checks cheaply whether ERP data moved (on-prem: each
   * feed's tables' latest updated_at; cloud: entity sets without webhooks) and asks for a delta
   * sync of the feeds that did; 0 = off. Default 10 (0 under NODE_ENV=test).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  ERP_CHANGE_POLL_SECONDS?: number;

  /** How long a change-triggered sync waits for the rest of a burst (ms, default 1000). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  ERP_CHANGE_DEBOUNCE_MS?: number;

  /**
   * The hub's public base URL as the cloud ERP reaches it (e.g. `https://hub.example.com`):
   * webhook notifications go to `{url}/erp/cloud/notifications`. Unset = no webhooks, polling only.
   */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' })
  HUB_PUBLIC_URL?: string;

  /**
   * Secret sent as `clientState` with every BC webhook subscription; notifications that do not
   * echo it are refused. Required for webhooks (with HUB_PUBLIC_URL).
   */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(16)
  CLOUD_ERP_WEBHOOK_CLIENT_STATE?: string;

  /** Cron (UTC) of the scheduled price-data sync (delta); `off` disables the schedule. */
  @IsOptional()
  @Matches(/^(off|\S+(\s+\S+){4,5})$/, {
    message: 'must be a cron expression of 5 or 6 fields, or "off"',
  })
  PRICING_SYNC_CRON?: string;

  /**
   * Cron (UTC) of the full price-data sync, which also removes prices the ERP no longer has (for
   * adapters that cannot report deletes); `off` disables it.
   */
  @IsOptional()
  @Matches(/^(off|\S+(\s+\S+){4,5})$/, {
    message: 'must be a cron expression of 5 or 6 fields, or "off"',
  })
  PRICING_FULL_SYNC_CRON?: string;

  /** Overlap window re-read by every price-data sync, for ERP rows that commit late. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  PRICING_SYNC_LAG_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20000)
  PRICING_SYNC_PAGE_SIZE?: number;

  /** How long a quote id stays valid for order capture (default 900 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  PRICING_QUOTE_TTL_SECONDS?: number;

  /** The order policies (per channel: reject / hold / adjust per code, tolerance, split). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ORDERS_POLICY_FILE?: string;

  /** ERP posting jobs one instance runs at once (default 4). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  ORDERS_POSTING_CONCURRENCY?: number;

  /** Retries of a posting after its first attempt before it is dead-lettered (default 8). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  ORDERS_POSTING_RETRY_LIMIT?: number;

  /** Delay before the first posting retry; doubles with each retry (default 5). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  ORDERS_POSTING_RETRY_DELAY_SECONDS?: number;

  /** A posting attempt still running after this long counts as failed (crash, hang; default 120). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(3600)
  ORDERS_POSTING_TIMEOUT_SECONDS?: number;

  /** How often a document waiting in the ERP's import queue is checked (default 5). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  ORDERS_ERP_IMPORT_POLL_SECONDS?: number;

  /** A document the ERP has not imported after this long becomes an exception (default 3600). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(7 * 86400)
  ORDERS_ERP_IMPORT_MAX_WAIT_SECONDS?: number;

  /**
   * How often ERP-side order changes are read back (cancels, quantity edits, closes) and open
   * posted orders are looked up; 0 = no schedule (ERP change notifications still trigger it).
   * Whole minutes (the job queue's schedules are per minute): rounded up. Default 60.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  ORDER_CHANGES_SYNC_SECONDS?: number;

  /** IANA time zone of "today" when a quote names no pricingDate (default UTC). */
  @IsOptional()
  @IsTimeZone()
  PRICING_TIME_ZONE?: string;

  /** How often the price cache picks up changes written by other instances (default 5 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  PRICING_CACHE_REFRESH_SECONDS?: number;

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
    /** Connections in the hub's pool (DATABASE_POOL_MAX). */
    poolMax: number;
    /** How long a request waits for a free connection before SERVICE_BUSY (503). */
    poolTimeoutMs: number;
  };
  erpAdapter: (typeof ERP_ADAPTERS)[number];
  http: {
    bodyLimitBytes: number;
    corsOrigins: string[];
    rateLimitPerMinute: number;
    /** Failed authentications per client IP and minute before 429. */
    authFailuresPerMinute: number;
  };
  idempotencyRetentionHours: number;
  metricsToken?: string;
  /**
   * What monitoring endpoints show to a caller without the metrics token. Production defaults
   * show nothing (metrics off, readiness status only): channel names, order counts, the
   * database and adapter in use are not for the internet.
   */
  monitoring: {
    /** /metrics answers without METRICS_TOKEN; false and no token = /metrics is off (404). */
    metricsPublic: boolean;
    /** /health/ready lists every check; false = status only (details with the metrics token). */
    healthDetails: boolean;
  };
  demoSeed: boolean;
  jobsEnabled: boolean;
  masterDataSync: {
    /** Cron (UTC) of the scheduled sync; null = no schedule (manual trigger only). */
    cron: string | null;
    lagSeconds: number;
    pageSize: number;
  };
  /** Path of the system-of-record matrix file, validated when the master-data module starts. */
  systemOfRecordFile: string;
  inventory: {
    /** Cron (UTC) of the scheduled ERP balance sync; null = manual trigger only. */
    syncCron: string | null;
    syncLagSeconds: number;
    syncPageSize: number;
    reservationTtlSeconds: number;
    coalesceWindowMs: number;
  };
  fulfillment: {
    /** Cron (UTC) of the scheduled shipment/invoice sync; null = manual trigger only. */
    syncCron: string | null;
    syncLagSeconds: number;
    syncPageSize: number;
    postingLeaseSeconds: number;
    postingConcurrency: number;
    erpPollSeconds: number;
  };
  /** The on-prem ERP adapter (ERP_ADAPTER=onprem). */
  erpOnPrem: {
    /** ERP_ONPREM_DATABASE_URL; null = the demo ERP database next to the hub's (erpOnPremDatabase()). */
    databaseUrl: string | null;
  };
  /** The cloud ERP adapter (ERP_ADAPTER=cloud). */
  cloudErp: {
    /** null = not configured (`npm start` then runs the sandbox in-process, demo only). */
    baseUrl: string | null;
    tokenUrl: string | null;
    clientId: string | null;
    clientSecret: string | null;
    scope: string;
    /** null = the only company the API lists. */
    companyId: string | null;
    localCurrency: string;
    /** null = the first BC location by code. */
    defaultLocationCode: string | null;
    /** Requests per 5 minutes. */
    rateLimitPer5Minutes: number;
    maxConcurrent: number;
    /** Requests one sync read keeps outstanding at the request gate (CLOUD_ERP_SYNC_CONCURRENCY). */
    syncConcurrency: number;
    timeoutMs: number;
    /** BC webhooks; null = not configured (changes are found by polling only). */
    webhooks: { publicUrl: string; clientState: string } | null;
  };
  /** ERP change detection (webhooks, cheap polls) that triggers delta syncs between schedules. */
  erpChanges: {
    /** null = no change polling. */
    pollSeconds: number | null;
    debounceMs: number;
  };
  orders: {
    /** Path of the order policy file, validated when the orders module starts. */
    policyFile: string;
    postingConcurrency: number;
    postingRetryLimit: number;
    postingRetryDelaySeconds: number;
    postingTimeoutSeconds: number;
    erpImportPollSeconds: number;
    erpImportMaxWaitSeconds: number;
    /** ERP-side order changes: seconds between runs (whole minutes); null = no schedule. */
    changesSyncSeconds: number | null;
  };
  pricing: {
    /** Cron (UTC) of the delta price-data sync; null = manual trigger only. */
    syncCron: string | null;
    /** Cron (UTC) of the full price-data sync; null = none. */
    fullSyncCron: string | null;
    syncLagSeconds: number;
    syncPageSize: number;
    quoteTtlSeconds: number;
    /** IANA zone of "today" for quotes without a pricingDate. */
    timeZone: string;
    cacheRefreshSeconds: number;
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
  monitoring: AppConfigShape['monitoring'];
  demoSeed: boolean;
  jobsEnabled: boolean;
  masterDataSync: AppConfigShape['masterDataSync'];
  systemOfRecordFile: string;

  inventory: AppConfigShape['inventory'];
  fulfillment: AppConfigShape['fulfillment'];
  erpOnPrem: AppConfigShape['erpOnPrem'];
  cloudErp: AppConfigShape['cloudErp'];
  erpChanges: AppConfigShape['erpChanges'];
  pricing: AppConfigShape['pricing'];
  orders: AppConfigShape['orders'];
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
  const problems = errors.map((e) => ({
    variable: e.property,
    reason: `${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(e.value)})`,
  }));
  problems.push(...cloudErpProblems(vars));
  if (problems.length > 0) throw new ConfigValidationError(problems);
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
      poolMax: vars.DATABASE_POOL_MAX ?? 20,
      poolTimeoutMs: vars.DATABASE_POOL_TIMEOUT_MS ?? 5000,
    },
    erpAdapter: vars.ERP_ADAPTER ?? 'onprem',
    http: {
      bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1024 * 1024,
      corsOrigins: (vars.CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 600,
      authFailuresPerMinute: vars.AUTH_FAILURES_PER_MINUTE ?? 60,
    },
    idempotencyRetentionHours: vars.IDEMPOTENCY_RETENTION_HOURS ?? 72,
    metricsToken: vars.METRICS_TOKEN,
    monitoring: {
      metricsPublic: vars.METRICS_PUBLIC ?? nodeEnv !== 'production',
      healthDetails: vars.HEALTH_DETAILS ?? nodeEnv !== 'production',
    },
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
    systemOfRecordFile: resolve(
      vars.SYSTEM_OF_RECORD_FILE ?? join('config', 'system-of-record.yaml'),
    ),
    inventory: {
      syncCron:
        vars.INVENTORY_SYNC_CRON === 'off' ? null : (vars.INVENTORY_SYNC_CRON ?? '*/5 * * * *'),
      syncLagSeconds: vars.INVENTORY_SYNC_LAG_SECONDS ?? 120,
      syncPageSize: vars.INVENTORY_SYNC_PAGE_SIZE ?? 1000,
      reservationTtlSeconds: vars.INVENTORY_RESERVATION_TTL_SECONDS ?? 86400,
      coalesceWindowMs: vars.INVENTORY_COALESCE_WINDOW_MS ?? 250,
    },
    fulfillment: {
      syncCron:
        vars.FULFILLMENT_SYNC_CRON === 'off' ? null : (vars.FULFILLMENT_SYNC_CRON ?? '* * * * *'),
      syncLagSeconds: vars.FULFILLMENT_SYNC_LAG_SECONDS ?? 120,
      syncPageSize: vars.FULFILLMENT_SYNC_PAGE_SIZE ?? 200,
      postingLeaseSeconds: vars.SHIPMENT_POSTING_LEASE_SECONDS ?? 120,
      postingConcurrency: vars.SHIPMENT_POSTING_CONCURRENCY ?? 8,
      erpPollSeconds: vars.SHIPMENT_ERP_POLL_SECONDS ?? 30,
    },
    erpOnPrem: { databaseUrl: vars.ERP_ONPREM_DATABASE_URL ?? null },
    cloudErp: {
      baseUrl: vars.CLOUD_ERP_BASE_URL?.replace(/\/+$/, '') ?? null,
      tokenUrl: vars.CLOUD_ERP_TOKEN_URL ?? null,
      clientId: vars.CLOUD_ERP_CLIENT_ID ?? null,
      clientSecret: vars.CLOUD_ERP_CLIENT_SECRET ?? null,
      scope: vars.CLOUD_ERP_SCOPE ?? 'https://api.businesscentral.dynamics.com/.default',
      companyId: vars.CLOUD_ERP_COMPANY_ID?.toLowerCase() ?? null,
      localCurrency: vars.CLOUD_ERP_LOCAL_CURRENCY ?? 'USD',
      defaultLocationCode: vars.CLOUD_ERP_DEFAULT_LOCATION?.trim() ?? null,
      rateLimitPer5Minutes: vars.CLOUD_ERP_RATE_LIMIT ?? 6000,
      maxConcurrent: vars.CLOUD_ERP_MAX_CONCURRENT ?? 5,
      syncConcurrency: vars.CLOUD_ERP_SYNC_CONCURRENCY ?? 8,
      timeoutMs: vars.CLOUD_ERP_TIMEOUT_MS ?? 30_000,
      webhooks:
        vars.HUB_PUBLIC_URL && vars.CLOUD_ERP_WEBHOOK_CLIENT_STATE
          ? {
              publicUrl: vars.HUB_PUBLIC_URL.replace(/\/+$/, ''),
              clientState: vars.CLOUD_ERP_WEBHOOK_CLIENT_STATE,
            }
          : null,
    },
    erpChanges: {
      pollSeconds: (vars.ERP_CHANGE_POLL_SECONDS ?? (nodeEnv === 'test' ? 0 : 10)) || null,
      debounceMs: vars.ERP_CHANGE_DEBOUNCE_MS ?? 1000,
    },
    pricing: {
      syncCron:
        vars.PRICING_SYNC_CRON === 'off' ? null : (vars.PRICING_SYNC_CRON ?? '*/15 * * * *'),
      fullSyncCron:
        vars.PRICING_FULL_SYNC_CRON === 'off'
          ? null
          : (vars.PRICING_FULL_SYNC_CRON ?? '30 2 * * *'),
      syncLagSeconds: vars.PRICING_SYNC_LAG_SECONDS ?? 120,
      syncPageSize: vars.PRICING_SYNC_PAGE_SIZE ?? 1000,
      quoteTtlSeconds: vars.PRICING_QUOTE_TTL_SECONDS ?? 900,
      timeZone: vars.PRICING_TIME_ZONE ?? 'UTC',
      cacheRefreshSeconds: vars.PRICING_CACHE_REFRESH_SECONDS ?? 5,
    },
    orders: {
      policyFile: resolve(vars.ORDERS_POLICY_FILE ?? join('config', 'order-policies.yaml')),
      postingConcurrency: vars.ORDERS_POSTING_CONCURRENCY ?? 4,
      postingRetryLimit: vars.ORDERS_POSTING_RETRY_LIMIT ?? 8,
      postingRetryDelaySeconds: vars.ORDERS_POSTING_RETRY_DELAY_SECONDS ?? 5,
      postingTimeoutSeconds: vars.ORDERS_POSTING_TIMEOUT_SECONDS ?? 120,
      erpImportPollSeconds: vars.ORDERS_ERP_IMPORT_POLL_SECONDS ?? 5,
      erpImportMaxWaitSeconds: vars.ORDERS_ERP_IMPORT_MAX_WAIT_SECONDS ?? 3600,
      changesSyncSeconds: (vars.ORDER_CHANGES_SYNC_SECONDS ?? 60) || null,
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

/**
 * A cloud ERP named by CLOUD_ERP_BASE_URL needs its credentials: report every missing one. (No
 * base URL is the demo case: the sandbox runs in-process and supplies them.)
 */
function cloudErpProblems(vars: EnvironmentVariables): { variable: string; reason: string }[] {
  if ((vars.ERP_ADAPTER ?? 'onprem') !== 'cloud' || vars.CLOUD_ERP_BASE_URL === undefined)
    return [];
  const required = [
    'CLOUD_ERP_TOKEN_URL',
    'CLOUD_ERP_CLIENT_ID',
    'CLOUD_ERP_CLIENT_SECRET',
  ] as const;
  return required
    .filter((name) => vars[name] === undefined)
    .map((variable) => ({
      variable,
      reason: 'required when ERP_ADAPTER=cloud and CLOUD_ERP_BASE_URL is set',
    }));
}

/**
 * Where the on-prem ERP adapter connects: ERP_ONPREM_DATABASE_URL (a real ERP), or in the demo
 * case the database `<hub database>_erp` on the hub's server (`crossdock_erp` beside the embedded
 * `crossdock`). Call it after the hub database is resolved (embedded: startDatabaseRuntime).
 */
export function erpOnPremDatabase(config: AppConfig): { url: string; demo: boolean } | null {
  if (config.erpOnPrem.databaseUrl) return { url: config.erpOnPrem.databaseUrl, demo: false };
  if (!config.database.url) return null;
  const url = new URL(config.database.url);
  const hubDatabase = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  url.pathname = `/${encodeURIComponent(`${hubDatabase}_erp`)}`;
  return { url: url.toString(), demo: true };
}
