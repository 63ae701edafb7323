import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { type DemoDataset, generateDemoDataset, SeededRandom } from '../demo-data/index.js';
import { BcError, bcErrors } from './bc-error.js';
import { serializeBcJson, wantsIeee754Compatible } from './bc-json.js';
import { CloudErpStore, ENTITY_SET_TABLES } from './cloud-erp-store.js';
import { SandboxClock, type TableRow } from './entity-table.js';
import { type ApiRoute, type EntityView, etagOf, findView, projectEntity } from './entity-views.js';
import { FaultInjector, type FaultSettings } from './fault-injector.js';
import { executeCollectionQuery, parseCollectionQuery } from './odata-query.js';
import { BC_ONLINE_LIMITS, type RateLimitSettings, RateLimiter } from './rate-limiter.js';
import { SandboxStats } from './sandbox-stats.js';
import { SandboxSubscriptions, type SandboxSubscriptionOptions } from './subscriptions.js';
import { TokenService } from './token-service.js';

export interface CloudErpSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Demo dataset seed and scale (ignored when `dataset` is given). */
  seed?: number;
  scale?: number;
  /** A dataset already generated (e.g. shared with the on-prem database in a test). */
  dataset?: DemoDataset;
  clientId?: string;
  clientSecret?: string;
  tenantId?: string;
  /** Access token lifetime (default 3,599 s, as Entra issues them). */
  tokenTtlSeconds?: number;
  /** Server-driven page size limit (BC online: 20,000). */
  maxPageSize?: number;
  rateLimit?: Partial<RateLimitSettings>;
  /** BC's docs do not promise Retry-After on 429; false leaves it out (default true). */
  retryAfterHeader?: boolean;
  /** Share of 429s that carry Retry-After when retryAfterHeader is on (default 1: all). */
  retryAfterFraction?: number;
  /**
   * Decimals as strings when a request asks for `IEEE754Compatible=true` (default false: JSON
   * numbers always, as nothing guarantees BC honours the parameter on responses).
   */
  honourIeee754?: boolean;
  /** The custom API pages (`/api/crossdock/erp/v1.0`); false answers 404 like BC for an
   * API route a tenant does not have (default true). */
  customPages?: boolean;
  /**
   * The crossdock fulfillment extension's pages (`/api/crossdock/fulfillment/v1.0`:
   * shipmentTrackings, shipmentConfirmations); false answers 404 (default true).
   */
  fulfillmentPages?: boolean;
  /**
   * Optional properties left out of some rows, as BC's own examples are truncated: entity set →
   * property names, dropped from every `omitFieldsEvery`-th row (by id; default 3).
   */
  omitFields?: Record<string, string[]>;
  omitFieldsEvery?: number;
  faults?: FaultSettings;
  /** Seed of the fault-injection PRNG (default 1). */
  faultSeed?: number;
  /** Clock for token expiry, rate windows and lastModifiedDateTime (default Date.now). */
  now?: () => number;
  /** Request logging (default off). */
  logger?: FastifyBaseLogger;
  /** Webhook subscriptions' timing (BC's by default: 30 s batching, 3-day lifetime). */
  subscriptions?: SandboxSubscriptionOptions;
}

/** Everything `POST /admin/faults` and `sandbox.faults.set()` accept. */
export interface SandboxSettingsChange extends FaultSettings {
  rateLimit?: Partial<RateLimitSettings>;
  retryAfterHeader?: boolean;
  retryAfterFraction?: number;
  honourIeee754?: boolean;
  customPages?: boolean;
  fulfillmentPages?: boolean;
  omitFields?: Record<string, string[]>;
  tokenTtlSeconds?: number;
}

export interface SandboxSettings extends Required<FaultSettings> {
  rateLimit: RateLimitSettings;
  retryAfterHeader: boolean;
  retryAfterFraction: number;
  honourIeee754: boolean;
  customPages: boolean;
  fulfillmentPages: boolean;
  omitFields: Record<string, string[]>;
  tokenTtlSeconds: number;
}

/**
 * The sandbox as strict as a standard Business Central tenant: decimals always JSON numbers,
 * no Retry-After on 429, optional properties missing from some rows, no custom API pages.
 */
export const STRICT_BC: CloudErpSandboxOptions = {
  honourIeee754: false,
  retryAfterHeader: false,
  customPages: false,
  fulfillmentPages: false,
  omitFields: {
    customers: ['phoneNumber', 'email', 'website', 'salespersonCode', 'taxRegistrationNumber'],
    items: ['type', 'gtin', 'itemCategoryCode', 'displayName2', 'unitCost'],
    locations: ['contact', 'phoneNumber', 'email', 'website', 'addressLine2'],
  },
};

export interface CloudErpSandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Standard API root: `${url}/api/v2.0` (companies, customers, items, salesOrders, ...). */
  apiUrl: string;
  /** Custom API pages root: `${url}/api/crossdock/erp/v1.0`. */
  customApiUrl: string;
  /** The fulfillment extension's root: `${url}/api/crossdock/fulfillment/v1.0`. */
  fulfillmentApiUrl: string;
  /** Client-credentials token endpoint: `${url}/${tenantId}/oauth2/v2.0/token`. */
  tokenUrl: string;
  /** The scope to ask for. */
  scope: string;
  tenantId: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
  faults: {
    set(change: SandboxSettingsChange): SandboxSettings;
    /** No faults; rate limits, Retry-After and token TTL back to the start-up options. */
    reset(): SandboxSettings;
    current(): SandboxSettings;
  };
  stats: SandboxStats;
  store: CloudErpStore;
  /** `{base}/subscriptions` (webhooks). */
  subscriptions: SandboxSubscriptions;
  close(): Promise<void>;
}

interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const SCOPE = 'https://api.businesscentral.dynamics.com/.default';
const API_PATH =
  /^\/api\/(v2\.0|crossdock\/erp\/v1\.0|crossdock\/fulfillment\/v1\.0)\/companies(?:\(([^)]*)\))?(?:\/([A-Za-z]+)(?:\(([^)]*)\))?(?:\/([A-Za-z.]+))?)?\/?$/;
/** BC's online URLs carry /v2.0/{tenant}/{environment} (or /v2.0/{environment}) before /api. */
const ENVIRONMENT_PREFIX = /^\/v2\.0\/(?:[^/]+\/)?[^/]+(?=\/api\/)/;
const JSON_TYPE = (ieee754: boolean): string =>
  `application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=${ieee754}; charset=utf-8`;

/**
 * Starts the cloud ERP sandbox: a Business Central API v2.0 look-alike over the demo dataset,
 * with OAuth2 client credentials, BC's paging/delta/ETag behaviour, BC's limits, and fault
 * injection. See README.md in this folder for the endpoint reference.
 */
export async function startCloudErpSandbox(
  options: CloudErpSandboxOptions = {},
): Promise<CloudErpSandbox> {
  const now = options.now ?? Date.now;
  const dataset =
    options.dataset ?? generateDemoDataset({ seed: options.seed, scale: options.scale });
  const ids = new SeededRandom(dataset.seed ^ 0x5a5a5a5a);
  const tenantId = options.tenantId ?? ids.uuid();
  const clientId = options.clientId ?? ids.uuid();
  const clientSecret = options.clientSecret ?? `sandbox-secret-${ids.uuid().replace(/-/g, '')}`;
  const maxPageSize = options.maxPageSize ?? 20_000;
  const initialLimits = { ...options.rateLimit };
  let retryAfterHeader = options.retryAfterHeader ?? true;
  let retryAfterFraction = checkedFraction(options.retryAfterFraction ?? 1);
  let honourIeee754 = options.honourIeee754 ?? false;
  let customPages = options.customPages ?? true;
  let fulfillmentPages = options.fulfillmentPages ?? true;
  let omitFields = { ...options.omitFields };
  const omitEvery = options.omitFieldsEvery ?? 3;
  let tokenTtlSeconds = options.tokenTtlSeconds ?? 3599;
  // Which 429s go without Retry-After: decided by a PRNG of its own, so the same request
  // sequence meets the same headers.
  const retryAfterDice = new SeededRandom((options.faultSeed ?? 1) ^ 0x0429);

  const clock = new SandboxClock(now);
  const store = new CloudErpStore(dataset, clock);
  const subscriptions = new SandboxSubscriptions(store, now, options.subscriptions);
  const stats = new SandboxStats();
  const faults = new FaultInjector(options.faults ?? {}, options.faultSeed ?? 1);
  const limiter = new RateLimiter(
    initialLimits,
    now,
    () =>
      retryAfterHeader && (retryAfterFraction >= 1 || retryAfterDice.next() < retryAfterFraction),
  );
  const tokens = new TokenService(new Map([[clientId, clientSecret]]), () => tokenTtlSeconds, now);
  const pendingHolds = new Set<() => void>();
  let baseUrl = '';

  const settings = (): SandboxSettings => ({
    ...faults.current(),
    rateLimit: limiter.current(),
    retryAfterHeader,
    retryAfterFraction,
    honourIeee754,
    customPages,
    fulfillmentPages,
    omitFields: { ...omitFields },
    tokenTtlSeconds,
  });
  const applySettings = (change: SandboxSettingsChange): SandboxSettings => {
    const {
      rateLimit,
      retryAfterHeader: retry,
      retryAfterFraction: fraction,
      honourIeee754: honour,
      customPages: pages,
      fulfillmentPages: fulfillment,
      omitFields: omit,
      tokenTtlSeconds: ttl,
      ...faultChange
    } = change;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) {
      throw new RangeError('tokenTtlSeconds must be a positive integer');
    }
    faults.set(faultChange);
    if (rateLimit) limiter.set(rateLimit);
    if (retry !== undefined) retryAfterHeader = retry === true;
    if (fraction !== undefined) retryAfterFraction = checkedFraction(fraction);
    if (honour !== undefined) honourIeee754 = honour === true;
    if (pages !== undefined) customPages = pages === true;
    if (fulfillment !== undefined) fulfillmentPages = fulfillment === true;
    if (omit !== undefined) omitFields = { ...omit };
    if (ttl !== undefined) tokenTtlSeconds = ttl;
    return settings();
  };

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    forceCloseConnections: true,
    bodyLimit: 10 * 1024 * 1024,
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  // ---- Entra token endpoint ------------------------------------------------------------------
  const token = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    stats.tokenRequests++;
    const form = (
      typeof request.body === 'object' && request.body !== null ? request.body : {}
    ) as Record<string, unknown>;
    const result = tokens.issue(form);
    if ('status' in result) {
      await reply.code(result.status).type('application/json; charset=utf-8').send(result.body);
      return;
    }
    stats.tokensIssued++;
    await reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(result);
  };
  app.post('/oauth2/v2.0/token', token);
  app.post('/:tenant/oauth2/v2.0/token', token);

  // ---- admin --------------------------------------------------------------------------------
  const adminError = (reply: FastifyReply, error: unknown): FastifyReply => {
    if (error instanceof BcError) return reply.code(error.status).send(error.body());
    return reply
      .code(400)
      .send({ error: { code: 'BadRequest', message: String((error as Error).message) } });
  };
  app.get('/admin/stats', async () => stats.toJSON());
  app.post('/admin/stats/reset', async (_request, reply) => {
    stats.reset();
    return reply.code(204).send();
  });
  app.get('/admin/faults', async () => settings());
  app.post('/admin/faults', async (request, reply) => {
    try {
      return applySettings((request.body ?? {}) as SandboxSettingsChange);
    } catch (error) {
      return adminError(reply, error);
    }
  });
  const resetSettings = (): SandboxSettings => {
    faults.reset();
    limiter.set({ ...BC_ONLINE_LIMITS, ...initialLimits });
    retryAfterHeader = options.retryAfterHeader ?? true;
    retryAfterFraction = checkedFraction(options.retryAfterFraction ?? 1);
    honourIeee754 = options.honourIeee754 ?? false;
    customPages = options.customPages ?? true;
    fulfillmentPages = options.fulfillmentPages ?? true;
    omitFields = { ...options.omitFields };
    tokenTtlSeconds = options.tokenTtlSeconds ?? 3599;
    return settings();
  };
  app.delete('/admin/faults', async () => resetSettings());
  app.post('/admin/mutate', async (request, reply) => {
    const body = (request.body ?? {}) as {
      entitySet?: string;
      key?: string;
      changes?: Record<string, unknown>;
    };
    try {
      if (
        !body.entitySet ||
        !body.key ||
        typeof body.changes !== 'object' ||
        body.changes === null
      ) {
        throw bcErrors.badRequest('Expected { entitySet, key, changes }.');
      }
      const row = store.mutate(body.entitySet, body.key, body.changes);
      return sendJson(honourIeee754, reply, request, 200, adminProjection(body.entitySet, row));
    } catch (error) {
      return adminError(reply, error);
    }
  });
  app.post('/admin/insert', async (request, reply) => {
    const body = (request.body ?? {}) as { entitySet?: string; record?: Record<string, unknown> };
    try {
      if (!body.entitySet || typeof body.record !== 'object' || body.record === null) {
        throw bcErrors.badRequest('Expected { entitySet, record }.');
      }
      const row = store.insert(body.entitySet, body.record);
      return sendJson(honourIeee754, reply, request, 201, adminProjection(body.entitySet, row));
    } catch (error) {
      return adminError(reply, error);
    }
  });
  // What the ERP's users do with sales orders (post a shipment, an invoice, edit a line), by
  // order number: the ERP side of the fulfillment tests and demos.
  app.post('/admin/sales/ship', async (request, reply) => {
    const body = (request.body ?? {}) as {
      orderNumber?: string;
      lines?: { sequence: number; quantity: string }[];
      tracking?: Record<string, string>;
    };
    try {
      const order = orderByNumber(body.orderNumber);
      const shipment = store.posting.ship(order, body.lines ?? [], { tracking: body.tracking });
      return sendJson(
        honourIeee754,
        reply,
        request,
        201,
        adminProjection('salesShipments', shipment as TableRow<unknown>),
      );
    } catch (error) {
      return adminError(reply, error);
    }
  });
  app.post('/admin/sales/invoice', async (request, reply) => {
    const body = (request.body ?? {}) as { orderNumber?: string };
    try {
      const invoice = store.posting.invoice(orderByNumber(body.orderNumber));
      return sendJson(
        honourIeee754,
        reply,
        request,
        201,
        adminProjection('salesInvoices', invoice as TableRow<unknown>),
      );
    } catch (error) {
      return adminError(reply, error);
    }
  });
  app.post('/admin/sales/line-quantity', async (request, reply) => {
    const body = (request.body ?? {}) as {
      orderNumber?: string;
      sequence?: number;
      quantity?: string;
    };
    try {
      if (typeof body.sequence !== 'number' || typeof body.quantity !== 'string') {
        throw bcErrors.badRequest('Expected { orderNumber, sequence, quantity }.');
      }
      store.posting.setLineQuantity(orderByNumber(body.orderNumber), body.sequence, body.quantity);
      return reply.code(204).send();
    } catch (error) {
      return adminError(reply, error);
    }
  });
  const orderByNumber = (number: string | undefined): string => {
    const order = store.tables.salesOrders.find((o) => o.number === number);
    if (!order) throw bcErrors.notFound(`salesOrder '${number ?? ''}'`);
    return order.id;
  };
  const adminProjection = (entitySet: string, row: TableRow<unknown>): unknown => {
    const view = findView('v2.0', entitySet) ?? findView('custom', entitySet);
    return view ? projectEntity(view, row, store) : row.data;
  };

  // ---- the API ------------------------------------------------------------------------------
  const api = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const started = Date.now();
    const queryAt = request.url.indexOf('?');
    const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    const params = new URLSearchParams(queryAt < 0 ? '' : request.url.slice(queryAt + 1));
    let outcome: 'timeout' | 'dropped' | null = null;
    stats.requestStarted();
    reply.raw.once('close', () =>
      stats.requestEnded({
        at: new Date(started).toISOString(),
        method: request.method,
        path: rawPath,
        status: outcome ?? reply.raw.statusCode,
        ms: Date.now() - started,
        correlationId:
          headerOf(request, 'x-correlation-id') ?? headerOf(request, 'client-request-id') ?? null,
      }),
    );
    try {
      const auth = tokens.verify(request.headers.authorization);
      if ('problem' in auth) {
        stats.unauthorized++;
        throw new BcError(
          401,
          'Authentication_InvalidCredentials',
          `The server has rejected the client credentials. ${auth.problem}`,
          {
            'www-authenticate': `Bearer authorization_uri="${baseUrl}/${tenantId}/oauth2/v2.0/token", error="invalid_token"`,
          },
        );
      }
      limiter.admit(auth.clientId);
      const release = await limiter.acquire();
      try {
        const latency = faults.latency();
        if (latency > 0) await pause(latency, pendingHolds);
        const fate = faults.decide(request.method !== 'GET' && request.method !== 'HEAD');
        if (fate === 'error5xx') {
          stats.errors5xx++;
          throw injected5xx(faults.errorStatus());
        }
        if (fate === 'throttle') {
          throw limiter.tooMany(
            'Too many requests reached: the tenant is busy with other clients (injected fault).',
            1,
          );
        }
        if (fate === 'timeout') {
          stats.timeouts++;
          outcome = 'timeout';
          reply.hijack();
          await pause(faults.current().timeoutHoldMs, pendingHolds, request);
          request.raw.socket?.destroy();
          return undefined;
        }
        const result = subscriptions.handles(rawPath)
          ? await subscriptions.handle(
              request.method,
              rawPath,
              request.body,
              headerOf(request, 'if-match'),
              `${baseUrl}/api/v2.0`,
            )
          : route(request, rawPath, params);
        if (fate === 'commitThenDrop') {
          stats.commitThenDrop++;
          outcome = 'dropped';
          reply.hijack();
          request.raw.socket?.destroy();
          return undefined;
        }
        return sendResult(honourIeee754, reply, request, result);
      } finally {
        release();
      }
    } catch (error) {
      const bcError =
        error instanceof BcError
          ? error
          : new BcError(
              500,
              'Internal_ServerError',
              'An unexpected error occurred in the sandbox.',
            );
      if (!(error instanceof BcError))
        request.log.error({ err: error }, 'cloud ERP sandbox failure');
      if (bcError.status === 429) stats.throttled++;
      return sendResult(honourIeee754, reply, request, {
        status: bcError.status,
        body: bcError.body(),
        headers: bcError.headers,
      });
    }
  };
  app.all('/api/*', api);
  app.all('/v2.0/*', api);

  app.setNotFoundHandler(async (request, reply) =>
    sendJson(
      honourIeee754,
      reply,
      request,
      404,
      bcErrors.resourceNotFound(request.url.split('?')[0]).body(),
    ),
  );
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (request.url.includes('/oauth2/')) {
      return reply.code(400).send({
        error: 'invalid_request',
        error_description: error.message,
        error_codes: [900144],
      });
    }
    const code = status === 500 ? 'Internal_ServerError' : 'BadRequest';
    return sendJson(
      honourIeee754,
      reply,
      request,
      status,
      new BcError(status, code, error.message).body(),
    );
  });

  const route = (request: FastifyRequest, rawPath: string, params: URLSearchParams): ApiResult => {
    const path = decodeURIComponent(rawPath.replace(ENVIRONMENT_PREFIX, ''));
    const match = API_PATH.exec(path);
    if (!match) throw bcErrors.resourceNotFound(path);
    const [, api, companyKey, entitySet, key, navigation] = match;
    const routeName: ApiRoute =
      api === 'v2.0' ? 'v2.0' : api === 'crossdock/erp/v1.0' ? 'custom' : 'fulfillment';
    // A tenant without the partner's extension has no such API route at all.
    if (routeName === 'custom' && !customPages) throw bcErrors.resourceNotFound(path);
    if (routeName === 'fulfillment' && !fulfillmentPages) throw bcErrors.resourceNotFound(path);
    const method = request.method;
    const apiRoot = `${baseUrl}/api/${api}`;
    if (!entitySet) {
      if (method !== 'GET') throw bcErrors.methodNotAllowed(method, path);
      if (companyKey === undefined) {
        return {
          status: 200,
          body: { '@odata.context': `${apiRoot}/$metadata#companies`, value: [companyEntity()] },
        };
      }
      if (unquote(companyKey).toLowerCase() !== store.company.id)
        throw bcErrors.notFound('company');
      return {
        status: 200,
        body: { '@odata.context': `${apiRoot}/$metadata#companies/$entity`, ...companyEntity() },
      };
    }
    if (companyKey === undefined || unquote(companyKey).toLowerCase() !== store.company.id) {
      throw new BcError(
        404,
        'Internal_CompanyNotFound',
        `The company '${companyKey ?? ''}' does not exist.`,
      );
    }
    const view = findView(routeName, entitySet);
    if (!view) throw bcErrors.resourceNotFound(entitySet);
    const context = `${apiRoot}/$metadata#companies(${store.company.id})/${entitySet}`;
    const table = store.tables[view.table] as unknown as {
      get(id: string): TableRow<unknown> | undefined;
      sorted(): TableRow<unknown>[];
    };
    if (key === undefined) {
      if (navigation) throw bcErrors.resourceNotFound(navigation);
      if (method === 'GET')
        return collection(view, table.sorted(), params, request, context, rawPath);
      if (method === 'POST' && view.name === 'salesOrders')
        return createOrder(request, params, context);
      if (method === 'POST' && view.name === 'shipmentConfirmations') {
        const created = store.posting.confirmShipment(bodyObject(request));
        return {
          status: 201,
          body: single(view, created as TableRow<unknown>, params, `${context}/$entity`),
          headers: { etag: etagOf(created) },
        };
      }
      if (method === 'POST' && view.name === 'shipToAddresses') {
        const created = store.createShipTo(bodyObject(request));
        return {
          status: 201,
          body: single(view, created as TableRow<unknown>, params, `${context}/$entity`),
          headers: { etag: etagOf(created) },
        };
      }
      throw bcErrors.methodNotAllowed(method, path);
    }
    const row = table.get(unquote(key));
    if (!row) throw bcErrors.notFound(view.entityType);
    if (navigation) {
      if (LINE_NAVIGATION[view.name] === navigation && method === 'GET') {
        const lineView = findView('v2.0', navigation) as EntityView<unknown>;
        return collection(
          lineView,
          childLines(view, row),
          params,
          request,
          `${context}(${row.id})/${navigation}`,
          rawPath,
          [{ field: 'sequence', desc: false }],
        );
      }
      if (
        view.name === 'salesOrders' &&
        navigation === 'Microsoft.NAV.shipAndInvoice' &&
        method === 'POST'
      ) {
        store.posting.shipAndInvoice(row.id);
        return { status: 204 };
      }
      if (navigation.startsWith('Microsoft.NAV.')) {
        throw new BcError(
          400,
          'BadRequest_MethodNotImplemented',
          `The action '${navigation}' is not implemented by the sandbox.`,
        );
      }
      throw bcErrors.resourceNotFound(navigation);
    }
    if (method === 'GET') {
      return {
        status: 200,
        body: single(view, row, params, `${context}/$entity`),
        headers: { etag: etagOf(row) },
      };
    }
    if (view.name === 'salesOrders' && method === 'PATCH') {
      const updated = store.updateSalesOrder(
        row.id,
        bodyObject(request),
        headerOf(request, 'if-match'),
        etagOf,
      );
      return {
        status: 200,
        body: single(view, updated as TableRow<unknown>, params, `${context}/$entity`),
        headers: { etag: etagOf(updated) },
      };
    }
    if ((view.name === 'customers' || view.name === 'shipToAddresses') && method === 'PATCH') {
      const body = bodyObject(request);
      const ifMatch = headerOf(request, 'if-match');
      const updated =
        view.name === 'customers'
          ? store.updateCustomer(row.id, body, ifMatch, etagOf)
          : store.updateShipTo(row.id, body, ifMatch, etagOf);
      return {
        status: 200,
        body: single(view, updated as TableRow<unknown>, params, `${context}/$entity`),
        headers: { etag: etagOf(updated) },
      };
    }
    if (view.name === 'salesOrders' && method === 'DELETE') {
      store.deleteSalesOrder(row.id, headerOf(request, 'if-match'), etagOf);
      return { status: 204 };
    }
    throw bcErrors.methodNotAllowed(method, path);
  };

  const collection = (
    view: EntityView<unknown>,
    rows: TableRow<unknown>[],
    params: URLSearchParams,
    request: FastifyRequest,
    context: string,
    rawPath: string,
    /** Order when the client gives none, for rows not sorted by (lastModifiedDateTime, id). */
    defaultOrder?: { field: string; desc: boolean }[],
  ): ApiResult => {
    const navigation = LINE_NAVIGATION[view.name] ? [LINE_NAVIGATION[view.name]] : [];
    const query = parseCollectionQuery(
      params,
      view,
      headerOf(request, 'prefer'),
      maxPageSize,
      navigation,
    );
    query.orderby ??= defaultOrder;
    const page = executeCollectionQuery(view, rows, store, query, params);
    const body: Record<string, unknown> = { '@odata.context': context };
    if (page.count !== undefined) body['@odata.count'] = page.count;
    body.value = page.rows.map((row) => withExpansions(view, row, query.select, query.expand));
    if (page.next) body['@odata.nextLink'] = `${baseUrl}${rawPath}?${page.next}`;
    const headers: Record<string, string> = {};
    if (query.preferredPageSize !== undefined)
      headers['preference-applied'] = `odata.maxpagesize=${query.pageSize}`;
    return { status: 200, body, headers };
  };

  const single = (
    view: EntityView<unknown>,
    row: TableRow<unknown>,
    params: URLSearchParams,
    context: string,
  ): unknown => {
    const navigation = LINE_NAVIGATION[view.name] ? [LINE_NAVIGATION[view.name]] : [];
    const query = parseCollectionQuery(
      new URLSearchParams([...params].filter(([k]) => k === '$select' || k === '$expand')),
      view,
      undefined,
      maxPageSize,
      navigation,
    );
    return { '@odata.context': context, ...withExpansions(view, row, query.select, query.expand) };
  };

  const withExpansions = (
    view: EntityView<unknown>,
    row: TableRow<unknown>,
    select: string[] | undefined,
    expand: string[],
  ): Record<string, unknown> => {
    const entity: Record<string, unknown> = projectEntity(view, row, store, select);
    const omitted = omitFields[view.name];
    if (omitted && omitEvery > 0 && rowHash(row.id) % omitEvery === 0) {
      for (const field of omitted) delete entity[field];
    }
    const lines = LINE_NAVIGATION[view.name];
    if (lines && expand.includes(lines)) {
      const lineView = findView('v2.0', lines) as EntityView<unknown>;
      entity[lines] = childLines(view, row).map((line) => projectEntity(lineView, line, store));
    }
    return entity;
  };

  /** A document's lines in the order they were added. */
  const childLines = (
    view: EntityView<unknown>,
    document: TableRow<unknown>,
  ): TableRow<unknown>[] => {
    const lineTable = store.tables[LINE_NAVIGATION[view.name] as 'salesOrderLines'] as unknown as {
      get(id: string): TableRow<unknown> | undefined;
    };
    const lineIds = (document.data as { lineIds: string[] }).lineIds;
    return lineIds
      .map((id) => lineTable.get(id))
      .filter((line): line is TableRow<unknown> => line !== undefined);
  };

  const createOrder = (
    request: FastifyRequest,
    params: URLSearchParams,
    context: string,
  ): ApiResult => {
    const { order, duplicateExternalDocumentNumber } = store.createSalesOrder(bodyObject(request));
    stats.salesOrdersCreated++;
    if (duplicateExternalDocumentNumber) stats.duplicateExternalDocumentNumbers++;
    const view = findView('v2.0', 'salesOrders') as EntityView<unknown>;
    const row = order as TableRow<unknown>;
    return {
      status: 201,
      body: single(view, row, params, `${context}/$entity`),
      headers: {
        etag: etagOf(row),
        location: `${baseUrl}/api/v2.0/companies(${store.company.id})/salesOrders(${row.id})`,
      },
    };
  };

  const companyEntity = (): Record<string, unknown> => ({
    id: store.company.id,
    systemVersion: '26.0.30643.32481',
    timestamp: 1,
    name: store.company.name,
    displayName: store.company.name,
    businessProfileId: '',
    systemCreatedAt: dataset.baseDate,
    systemCreatedBy: '00000000-0000-0000-0000-000000000001',
    systemModifiedAt: dataset.baseDate,
    systemModifiedBy: '00000000-0000-0000-0000-000000000001',
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/v2.0`,
    customApiUrl: `${baseUrl}/api/crossdock/erp/v1.0`,
    fulfillmentApiUrl: `${baseUrl}/api/crossdock/fulfillment/v1.0`,
    tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    scope: SCOPE,
    tenantId,
    companyId: store.company.id,
    clientId,
    clientSecret,
    faults: { set: applySettings, reset: resetSettings, current: settings },
    stats,
    store,
    subscriptions,
    close: () =>
      (closing ??= (async () => {
        subscriptions.close();
        for (const resume of [...pendingHolds]) resume();
        await app.close();
      })()),
  };
}

function sendResult(
  honourIeee754: boolean,
  reply: FastifyReply,
  request: FastifyRequest,
  result: ApiResult,
): FastifyReply {
  for (const [name, value] of Object.entries(result.headers ?? {})) void reply.header(name, value);
  void reply.header('odata-version', '4.0');
  if (result.body === undefined) return reply.code(result.status).send();
  return sendJson(honourIeee754, reply, request, result.status, result.body);
}

function sendJson(
  honourIeee754: boolean,
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  body: unknown,
): FastifyReply {
  const ieee754 = honourIeee754 && wantsIeee754Compatible(headerOf(request, 'accept'));
  return reply.code(status).type(JSON_TYPE(ieee754)).send(serializeBcJson(body, ieee754));
}

function injected5xx(status: 500 | 503 | 504): BcError {
  if (status === 503) {
    return new BcError(
      503,
      'Internal_ServiceUnavailable',
      'The service is temporarily unavailable. Try again later.',
    );
  }
  if (status === 504) {
    return new BcError(
      504,
      'Internal_GatewayTimeout',
      'The request took too long to process. Split it into smaller requests.',
    );
  }
  return new BcError(500, 'Internal_ServerError', 'An unexpected server error occurred.');
}

/** Waits `ms`, or less if the sandbox closes or (when given) the client goes away. */
function pause(ms: number, pending: Set<() => void>, request?: FastifyRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pending.delete(done);
      request?.raw.socket?.removeListener('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    pending.add(done);
    request?.raw.socket?.once('close', done);
  });
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bcErrors.badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function checkedFraction(value: number): number {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new RangeError('retryAfterFraction must be between 0 and 1');
  }
  return value;
}

/** A stable small hash of a row id: which rows lose their optional properties. */
function rowHash(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h;
}

function unquote(key: string): string {
  return key.replace(/^'(.*)'$/, '$1');
}

/** A document entity set's lines (navigation property = the lines' entity set and table). */
const LINE_NAVIGATION: Record<
  string,
  'salesOrderLines' | 'salesShipmentLines' | 'salesInvoiceLines'
> = {
  salesOrders: 'salesOrderLines',
  salesShipments: 'salesShipmentLines',
  salesInvoices: 'salesInvoiceLines',
};

/** Entity sets that `POST /admin/mutate` and `/admin/insert` accept. */
export const MUTABLE_ENTITY_SETS = Object.keys(ENTITY_SET_TABLES);
