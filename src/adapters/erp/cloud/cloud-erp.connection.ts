import type { DeltaFeedHealth } from '../../../platform/delta-sync/index.js';
import { describeError, type ErpLogger, SILENT_ERP_LOGGER } from '../shared/erp-logger.js';
import type { ErpCallObserver } from '../shared/erp-metrics.js';
import {
  BUSINESS_CENTRAL_ONLINE_LIMITS,
  CloudErpHttpClient,
  type CloudErpGovernorConfig,
  ErpCircuitOpenError,
  ErpHttpError,
  OAuthClientCredentials,
} from './http/index.js';

/**
 * Business Central's standard API and the custom API pages that close its gaps: the master-data
 * extension's (`custom`) and the fulfillment extension's (shipment tracking, ship-only posting).
 */
export type BcApi = 'standard' | 'custom' | 'fulfillment';

const API_ROOTS: Record<BcApi, string> = {
  standard: '/api/v2.0',
  // `/api/{publisher}/{group}/{version}`: the pages a deployment adds (ship-tos, item units of
  // measure, substitutions, ...), as the sandbox serves them.
  custom: '/api/crossdock/erp/v1.0',
  fulfillment: '/api/crossdock/fulfillment/v1.0',
};

/** BC's biggest server-driven page (operational limits): more is never returned. */
export const BC_MAX_PAGE_SIZE = 20_000;

/**
 * A row of any BC entity set, as parsed by parseBcJson: decimals are exact text (or safe
 * integers), whether BC sent them as JSON numbers or, under IEEE754Compatible, as strings.
 */
export type BcRow = Record<string, unknown> & { id: string };

interface ODataCollection<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export interface ODataPage<T> {
  rows: T[];
  /** Absolute next link (key-based skip token) or null on the last page. */
  nextLink: string | null;
  count?: number;
}

export interface CollectionQuery {
  filter?: string;
  select?: string[];
  orderby?: string;
  count?: boolean;
  /** Navigation properties to read with each row (`$expand`, e.g. a document's lines). */
  expand?: string[];
}

export interface CloudErpConnectionOptions {
  /** null = not configured: every read fails and health is down (says why). */
  baseUrl: string | null;
  tokenUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  scope: string;
  companyId: string | null;
  /** The company's local currency (ISO 4217): what a blank BC currency code means. */
  localCurrency: string;
  /**
   * The location that standard BC's one stock figure per item (`items.inventory`) is booked at
   * while the custom `inventoryBalances` page is missing; null = the first location by code.
   */
  defaultLocationCode?: string | null;
  /**
   * Requests one sync read keeps outstanding at the request gate (default 8): the reader's
   * streams read their next page ahead and its look-ups overlap, so the gate always has the
   * next request when a slot frees; the gate alone decides when each one starts.
   */
  syncConcurrency?: number;
  governor?: Partial<CloudErpGovernorConfig>;
  /** The HTTP transport (default global fetch); tests interpose on it. */
  fetch?: typeof fetch;
  logger?: ErpLogger;
  onCall?: ErpCallObserver;
}

/** Requests a sync read keeps outstanding when not configured (CLOUD_ERP_SYNC_CONCURRENCY). */
export const DEFAULT_SYNC_CONCURRENCY = 8;

/** A health check answers within a couple of seconds (MasterDataFeed rule 9). */
const HEALTH_TIMEOUT_MS = 2000;
/** A custom page found missing (404) is asked for again after this long (a partner installs it). */
const MISSING_PAGE_RECHECK_MS = 10 * 60_000;

/** What the hub loses while a custom API page is missing (health details, sync runs, logs). */
export const CUSTOM_PAGE_CAPABILITIES: Record<string, string> = {
  customerDetails: 'customer parent accounts, Inactive status, tax exemption numbers',
  shipToAddresses: 'customer ship-to addresses',
  itemDetails: 'item status Discontinued, drop-ship fulfilment and vendor, lot control',
  itemUnitsOfMeasure: 'item units of measure other than the base unit',
  itemSubstitutions: 'item substitutes',
  inventoryBalances: 'stock per location and lot (items.inventory is synced as one total)',
  priceLists: 'price lists (items.unitPrice is synced as the base price list)',
  priceListLines: 'price list lines and quantity breaks (items.unitPrice is synced instead)',
  customerContracts: 'customer contract prices',
  promotions: 'promotions',
  shipmentTrackings: 'shipment carrier and tracking numbers (shipments sync without them)',
  shipmentConfirmations: 'posting WMS/supplier shipments to the ERP (held as exceptions)',
};

export interface CustomPageState {
  entitySet: string;
  available: boolean;
  /** What is off while it is missing. */
  capability: string;
  checkedAt: string;
}

/** A 404 for a whole entity set: the API route (custom page) is not installed in this tenant. */
export function isMissingEntitySet(error: unknown): boolean {
  return (
    error instanceof ErpHttpError &&
    error.status === 404 &&
    error.erpCode !== 'Internal_CompanyNotFound'
  );
}

/**
 * The cloud ERP adapters' shared connection: the governed HTTP client (OAuth2, rate limit,
 * concurrency cap, retries, circuit breaker, timeouts, correlation id), the company, and OData
 * collection reads that follow `@odata.nextLink` (BC's key-based skip tokens, never $skip).
 */
export class CloudErpConnection {
  readonly client: CloudErpHttpClient | null;
  private readonly logger: ErpLogger;
  private companyLookup?: Promise<string>;
  private readonly pages = new Map<string, { available: boolean; at: number }>();

  constructor(private readonly options: CloudErpConnectionOptions) {
    this.logger = options.logger ?? SILENT_ERP_LOGGER;
    const { baseUrl, tokenUrl, clientId, clientSecret } = options;
    this.client =
      baseUrl && tokenUrl && clientId && clientSecret
        ? new CloudErpHttpClient({
            baseUrl,
            auth: new OAuthClientCredentials({
              tokenUrl,
              clientId,
              clientSecret,
              scope: options.scope,
            }),
            governor: { ...BUSINESS_CENTRAL_ONLINE_LIMITS, ...options.governor },
            onAttempt: options.onCall,
            fetch: options.fetch,
          })
        : null;
  }

  get localCurrency(): string {
    return this.options.localCurrency;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  /** Requests one sync read keeps outstanding (queued or in flight) at the request gate. */
  get syncConcurrency(): number {
    return this.options.syncConcurrency ?? DEFAULT_SYNC_CONCURRENCY;
  }

  get defaultLocationCode(): string | null {
    return this.options.defaultLocationCode ?? null;
  }

  /**
   * False while a custom API page is known to be missing (it answered 404 less than
   * MISSING_PAGE_RECHECK_MS ago): its readers fall back to what standard BC offers.
   */
  customPageAvailable(entitySet: string): boolean {
    const state = this.pages.get(entitySet);
    return !state || state.available || Date.now() - state.at > MISSING_PAGE_RECHECK_MS;
  }

  /** Records what a custom page read found; a newly missing page is logged once. */
  customPageSeen(entitySet: string, available: boolean): void {
    const before = this.pages.get(entitySet);
    this.pages.set(entitySet, { available, at: Date.now() });
    if (!available && before?.available !== false) {
      this.logger.warn(
        { entitySet, capabilityOff: CUSTOM_PAGE_CAPABILITIES[entitySet] ?? entitySet },
        'cloud ERP custom API page missing (404): syncing what standard BC v2.0 offers',
      );
    }
  }

  /** Every custom page read so far and whether it was there. */
  customPages(): CustomPageState[] {
    return [...this.pages.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([entitySet, state]) => ({
        entitySet,
        available: state.available,
        capability: CUSTOM_PAGE_CAPABILITIES[entitySet] ?? entitySet,
        checkedAt: new Date(state.at).toISOString(),
      }));
  }

  /** Of these custom pages, the capabilities that are off (for a sync run's `degraded`). */
  capabilitiesOffFor(entitySets: readonly string[]): string[] {
    return this.capabilitiesOff().filter((c) => entitySets.some((set) => c.startsWith(`${set}:`)));
  }

  /** The capabilities that are off because their custom page is missing. */
  capabilitiesOff(): string[] {
    return this.customPages()
      .filter((p) => !p.available)
      .map((p) => `${p.entitySet}: ${p.capability}`);
  }

  /** One page of a collection; `pageSize` goes as `Prefer: odata.maxpagesize` (BC's way). */
  async page<T extends object = BcRow>(
    api: BcApi,
    entitySet: string,
    query: CollectionQuery,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<ODataPage<T>> {
    const path = `${await this.companyPath(api, signal)}/${entitySet}`;
    const params: Record<string, string> = {};
    if (query.filter) params.$filter = query.filter;
    if (query.select) params.$select = query.select.join(',');
    if (query.orderby) params.$orderby = query.orderby;
    if (query.count) params.$count = 'true';
    if (query.expand?.length) params.$expand = query.expand.join(',');
    if (api === 'standard') return this.get<T>(path, params, pageSize, signal);
    try {
      const page = await this.get<T>(path, params, pageSize, signal);
      this.customPageSeen(entitySet, true);
      return page;
    } catch (error) {
      if (isMissingEntitySet(error)) this.customPageSeen(entitySet, false);
      throw error;
    }
  }

  /** The page a next link points to (followed as is: its skip token is the server's). */
  async next<T extends object = BcRow>(
    nextLink: string,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<ODataPage<T>> {
    return this.get<T>(nextLink, undefined, pageSize, signal);
  }

  /** Every row of a collection query, page after page. */
  async all<T extends object = BcRow>(
    api: BcApi,
    entitySet: string,
    query: CollectionQuery,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<T[]> {
    let page = await this.page<T>(api, entitySet, query, pageSize, signal);
    const rows = [...page.rows];
    while (page.nextLink) {
      page = await this.next<T>(page.nextLink, pageSize, signal);
      rows.push(...page.rows);
    }
    return rows;
  }

  /** Up when a token is issued and the API lists the company. Never throws. */
  async healthCheck(): Promise<DeltaFeedHealth> {
    const details: Record<string, unknown> = { adapter: 'cloud' };
    if (!this.client) {
      return { up: false, details: { ...details, reason: 'the cloud ERP is not configured' } };
    }
    details.circuit = this.client.circuitState;
    const started = Date.now();
    try {
      const res = await this.client.request<ODataCollection<{ id: string }>>({
        method: 'GET',
        path: `${API_ROOTS.standard}/companies`,
        query: { $select: 'id' },
        maxAttempts: 1,
        timeoutMs: HEALTH_TIMEOUT_MS,
        priority: 'high',
      });
      const ids = (res.body?.value ?? []).map((c) => String(c.id).toLowerCase());
      const company = this.options.companyId;
      if (company ? !ids.includes(company) : ids.length !== 1) {
        return {
          up: false,
          details: {
            ...details,
            reason: company
              ? 'CLOUD_ERP_COMPANY_ID is not a company of this ERP'
              : `the ERP lists ${ids.length} companies: set CLOUD_ERP_COMPANY_ID`,
          },
        };
      }
      const off = this.capabilitiesOff();
      return {
        up: true,
        details: {
          ...details,
          ms: Date.now() - started,
          // Degraded, not down: standard BC still syncs; say what is missing.
          ...(off.length > 0 ? { degraded: true, capabilitiesOff: off } : {}),
        },
      };
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'cloud ERP health check failed');
      return {
        up: false,
        details: {
          ...details,
          reason:
            error instanceof ErpCircuitOpenError
              ? 'circuit open after repeated ERP failures'
              : 'cloud ERP unreachable or credentials refused',
        },
      };
    }
  }

  private async get<T extends object>(
    path: string,
    query: Record<string, string> | undefined,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<ODataPage<T>> {
    const client = this.requireClient();
    const res = await client.request<ODataCollection<T>>({
      method: 'GET',
      path,
      query,
      headers: {
        // Decimals as strings: money never passes through a JS number.
        accept: 'application/json;IEEE754Compatible=true',
        prefer: `odata.maxpagesize=${Math.min(Math.max(1, pageSize), BC_MAX_PAGE_SIZE)}`,
      },
      signal,
    });
    const body = res.body;
    if (!body || !Array.isArray(body.value)) {
      throw new Error(`The cloud ERP answered ${path} without a value array.`);
    }
    return {
      rows: body.value,
      nextLink: body['@odata.nextLink'] ?? null,
      count: body['@odata.count'],
    };
  }

  /** `/api/…/companies({id})` of the company this connection works for (port adapters' writes). */
  async companyPath(api: BcApi, signal?: AbortSignal): Promise<string> {
    return `${API_ROOTS[api]}/companies(${await this.companyId(signal)})`;
  }

  /** CLOUD_ERP_COMPANY_ID, else the one company the ERP lists (looked up once). */
  private companyId(signal?: AbortSignal): Promise<string> {
    if (this.options.companyId) return Promise.resolve(this.options.companyId);
    this.companyLookup ??= (async () => {
      const res = await this.requireClient().request<ODataCollection<{ id: string }>>({
        method: 'GET',
        path: `${API_ROOTS.standard}/companies`,
        query: { $select: 'id' },
        signal,
      });
      const ids = (res.body?.value ?? []).map((c) => String(c.id).toLowerCase());
      if (ids.length !== 1) {
        throw new Error(
          `The cloud ERP lists ${ids.length} companies; set CLOUD_ERP_COMPANY_ID to choose one.`,
        );
      }
      return ids[0];
    })();
    this.companyLookup.catch(() => (this.companyLookup = undefined));
    return this.companyLookup;
  }

  private requireClient(): CloudErpHttpClient {
    if (!this.client) {
      throw new Error(
        'The cloud ERP is not configured: set CLOUD_ERP_BASE_URL, CLOUD_ERP_TOKEN_URL, CLOUD_ERP_CLIENT_ID and CLOUD_ERP_CLIENT_SECRET.',
      );
    }
    return this.client;
  }
}
