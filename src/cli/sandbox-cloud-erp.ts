import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigValidationError, loadConfig } from '../config/index.js';
import {
  type CloudErpSandboxOptions,
  startCloudErpSandbox,
  STRICT_BC,
} from '../erp-simulators/cloud/index.js';

const USAGE = `Usage: npm run sandbox:cloud-erp -- [options]

Starts the cloud ERP sandbox (a Business Central API v2.0 look-alike over the demo dataset).
  --port N                 listen port (default CLOUD_ERP_SANDBOX_PORT or 4010; 0 = any)
  --host H                 listen address (default 127.0.0.1)
  --seed N --scale N       demo dataset (default seed, scale 1)
  --latency MS|MIN-MAX     added latency per API call (CLOUD_ERP_SANDBOX_LATENCY_MS)
  --error-rate R           share of API calls answered 5xx, 0..1 (CLOUD_ERP_SANDBOX_ERROR_RATE)
  --timeout-rate R         share held unanswered, then dropped (CLOUD_ERP_SANDBOX_TIMEOUT_RATE)
  --timeout-hold MS        how long a "timed out" call is held (default 30000)
  --commit-then-drop-rate R  share of writes applied, then dropped (CLOUD_ERP_SANDBOX_COMMIT_THEN_DROP_RATE)
  --rate-limit N           requests per client per window (CLOUD_ERP_SANDBOX_RATE_LIMIT; default 6000)
  --rate-window S          window in seconds (default 300)
  --max-concurrent N       requests processed at once (default 5)
  --max-queued N           requests waiting for a slot before 429 (default 95)
  --token-ttl S            access token lifetime (default 3599)
  --no-retry-after         send 429 without a Retry-After header
  --retry-after-fraction R share of 429s that carry Retry-After, 0..1 (default 1)
  --no-custom-pages        answer the custom API pages 404, as a tenant without the extension
  --no-fulfillment-pages   answer the fulfillment extension's pages (shipment tracking and
                           confirmations) 404
  --honour-ieee754         decimals as strings when a request asks IEEE754Compatible=true
  --strict-bc              a standard BC tenant: numbers always, no Retry-After, no custom
                           pages, optional properties missing from some rows
  --client-id ID --client-secret S --tenant-id ID
Faults can be changed while it runs: POST /admin/faults, GET /admin/stats.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      latency: { type: 'string' },
      'error-rate': { type: 'string' },
      'timeout-rate': { type: 'string' },
      'timeout-hold': { type: 'string' },
      'commit-then-drop-rate': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-window': { type: 'string' },
      'max-concurrent': { type: 'string' },
      'max-queued': { type: 'string' },
      'token-ttl': { type: 'string' },
      'no-retry-after': { type: 'boolean', default: false },
      'retry-after-fraction': { type: 'string' },
      'no-custom-pages': { type: 'boolean', default: false },
      'no-fulfillment-pages': { type: 'boolean', default: false },
      'honour-ieee754': { type: 'boolean', default: false },
      'strict-bc': { type: 'boolean', default: false },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'tenant-id': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const env = config.cloudErpSandbox;
  const logger = pino({ level: config.logLevel, base: { context: 'CloudErpSandbox' } });
  const num = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`--${flag} must be a number, got "${value}"`);
    return n;
  };
  const latency = values.latency ?? undefined;
  let latencyMs: [number, number] | null = env.latencyMs;
  if (latency !== undefined) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(latency);
    if (!match) throw new UsageError(`--latency must be MS or MIN-MAX, got "${latency}"`);
    latencyMs = [Number(match[1]), Number(match[2] ?? match[1])];
  }
  const rateLimit: NonNullable<CloudErpSandboxOptions['rateLimit']> = {};
  const requests = num('rate-limit', values['rate-limit']) ?? env.rateLimitRequests ?? undefined;
  if (requests !== undefined) rateLimit.requests = requests;
  const windowSeconds = num('rate-window', values['rate-window']);
  if (windowSeconds !== undefined) rateLimit.windowSeconds = windowSeconds;
  const maxConcurrent = num('max-concurrent', values['max-concurrent']);
  if (maxConcurrent !== undefined) rateLimit.maxConcurrent = maxConcurrent;
  const maxQueued = num('max-queued', values['max-queued']);
  if (maxQueued !== undefined) rateLimit.maxQueued = maxQueued;

  const started = Date.now();
  const strict = values['strict-bc'] ? STRICT_BC : {};
  const sandbox = await startCloudErpSandbox({
    ...strict,
    ...(values['no-custom-pages'] ? { customPages: false } : {}),
    ...(values['no-fulfillment-pages'] ? { fulfillmentPages: false } : {}),
    ...(values['honour-ieee754'] ? { honourIeee754: true } : {}),
    retryAfterFraction: num('retry-after-fraction', values['retry-after-fraction']),
    port: num('port', values.port) ?? env.port,
    host: values.host ?? '127.0.0.1',
    seed: num('seed', values.seed),
    scale: num('scale', values.scale),
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    tenantId: values['tenant-id'],
    tokenTtlSeconds: num('token-ttl', values['token-ttl']),
    retryAfterHeader: !values['no-retry-after'] && strict.retryAfterHeader !== false,
    rateLimit,
    faults: {
      latencyMs,
      errorRate5xx: num('error-rate', values['error-rate']) ?? env.errorRate5xx,
      timeoutRate: num('timeout-rate', values['timeout-rate']) ?? env.timeoutRate,
      timeoutHoldMs: num('timeout-hold', values['timeout-hold']) ?? 30_000,
      commitThenDropRate:
        num('commit-then-drop-rate', values['commit-then-drop-rate']) ?? env.commitThenDropRate,
    },
    logger: logger.child({ context: 'CloudErpSandboxHttp' }, { level: 'warn' }),
  });
  logger.info(
    {
      url: sandbox.url,
      apiUrl: sandbox.apiUrl,
      customApiUrl: sandbox.customApiUrl,
      fulfillmentApiUrl: sandbox.fulfillmentApiUrl,
      tokenUrl: sandbox.tokenUrl,
      scope: sandbox.scope,
      companyId: sandbox.companyId,
      tenantId: sandbox.tenantId,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      customers: sandbox.store.tables.customers.size,
      items: sandbox.store.tables.items.size,
      settings: sandbox.faults.current(),
      ms: Date.now() - started,
    },
    'cloud ERP sandbox is serving',
  );
  const stop = (signal: string): void => {
    logger.info({ signal, stats: { ...sandbox.stats.toJSON(), recent: undefined } }, 'stopping');
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigValidationError ||
    error instanceof UsageError ||
    error instanceof RangeError
  ) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(
      `sandbox:cloud-erp failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
