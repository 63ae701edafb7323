import { randomUUID } from 'node:crypto';
import { BcError, bcErrors } from './bc-error.js';
import type { CloudErpStore } from './cloud-erp-store.js';
import type { EntityTable, TableRow } from './entity-table.js';

/**
 * Business Central webhooks (`{base}/subscriptions`, shared/erp §5.12), as the sandbox plays them:
 * create/renew only after the validation handshake (the receiver answers 200 with the token as
 * its body), a 3-day lifetime renewed by PATCH, notifications that wait 30 s after the first
 * change and turn into one `collection` notification past 1,000 changes, retries of 408/429/5xx
 * answers for 36 hours, and deletion of the subscription on any other error status.
 */
export interface SandboxSubscriptionOptions {
  /** Wait after a subscription's first unsent change before notifying (BC: 30 s). */
  notificationDelayMs?: number;
  /** More changes than this in one wait → one `collection` notification (BC: 1,000). */
  collectionThreshold?: number;
  /** Subscription lifetime (BC: 3 days). */
  lifetimeMs?: number;
  /** Waits between delivery retries after 408/429/5xx, the last one repeated (BC's are not documented). */
  retryDelaysMs?: number[];
  /** How long BC keeps retrying a notification (36 h). */
  retryWindowMs?: number;
  /** Handshake and delivery timeout. */
  timeoutMs?: number;
  /**
   * The subscriptions' own clock (expiry, renewal), default the sandbox's: a test moves it days
   * ahead without stamping the ERP's records in the future.
   */
  now?: () => number;
}

/** What one subscription is, as BC lists it. */
export interface SandboxSubscription {
  subscriptionId: string;
  notificationUrl: string;
  resource: string;
  clientState: string;
  expirationDateTime: string;
  userId: string;
  lastModifiedDateTime: string;
  version: number;
}

export interface SubscriptionStats {
  handshakes: number;
  handshakesFailed: number;
  notificationsSent: number;
  deliveriesFailed: number;
  /** Subscriptions deleted because a receiver answered with a non-retryable status. */
  deletedByRefusal: number;
  /** Every notification POSTed, with the receiver's status (or 'network'). */
  log: { at: string; subscriptionId: string; entries: number; status: number | 'network' }[];
}

interface PendingChange {
  id: string;
  changeType: 'created' | 'updated' | 'deleted';
  modifiedMs: number;
}

interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The v2.0 entity sets BC sends webhooks for (§5.12), as far as the sandbox has them. */
const SUPPORTED: Record<string, string> = {
  customers: 'customers',
  items: 'items',
  vendors: 'suppliers',
  itemCategories: 'itemGroups',
  currencies: 'currencies',
  paymentTerms: 'paymentTerms',
  unitsOfMeasure: 'unitsOfMeasure',
  salesOrders: 'salesOrders',
  salesInvoices: 'salesInvoices',
};
const SUBSCRIPTIONS_PATH =
  /^(?:\/v2\.0\/(?:[^/]+\/)?[^/]+)?\/api\/v2\.0\/subscriptions(?:\((?:'([^']*)'|([^)]*))\))?\/?$/;
const RESOURCE =
  /^(?:https?:\/\/[^/]+)?(?:\/v2\.0\/(?:[^/]+\/)?[^/]+)?(\/api\/v2\.0\/companies\(([^)]+)\)\/([A-Za-z]+))$/;

export class SandboxSubscriptions {
  readonly stats: SubscriptionStats = {
    handshakes: 0,
    handshakesFailed: 0,
    notificationsSent: 0,
    deliveriesFailed: 0,
    deletedByRefusal: 0,
    log: [],
  };
  private readonly subscriptions = new Map<string, SandboxSubscription>();
  private readonly pending = new Map<string, { changes: PendingChange[]; timer: NodeJS.Timeout }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delayMs: number;
  private readonly threshold: number;
  private readonly lifetimeMs: number;
  private readonly retryDelaysMs: number[];
  private readonly retryWindowMs: number;
  private readonly timeoutMs: number;
  private closed = false;
  private readonly now: () => number;

  constructor(
    private readonly store: CloudErpStore,
    now: () => number,
    options: SandboxSubscriptionOptions = {},
  ) {
    this.now = options.now ?? now;
    this.delayMs = options.notificationDelayMs ?? 30_000;
    this.threshold = options.collectionThreshold ?? 1000;
    this.lifetimeMs = options.lifetimeMs ?? 3 * 24 * 3600_000;
    this.retryDelaysMs = options.retryDelaysMs ?? [60_000, 5 * 60_000, 30 * 60_000, 3600_000];
    this.retryWindowMs = options.retryWindowMs ?? 36 * 3600_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    for (const [entitySet, tableName] of Object.entries(SUPPORTED)) {
      this.watch(
        entitySet,
        store.tables[tableName as keyof CloudErpStore['tables']] as unknown as EntityTable<unknown>,
      );
    }
    // A change to a line is notified for its document header (§5.12).
    const lines = store.tables.salesOrderLines as unknown as EntityTable<unknown>;
    this.watch('salesOrders', lines, (row) => {
      const documentId = (row.data as { documentId?: unknown }).documentId;
      return typeof documentId === 'string' ? documentId : row.id;
    });
  }

  /** Whether `rawPath` is the subscriptions API (it sits beside `companies`, not under it). */
  handles(rawPath: string): boolean {
    return SUBSCRIPTIONS_PATH.test(rawPath);
  }

  /** The subscriptions still alive (expired ones are gone, as in BC). */
  list(): SandboxSubscription[] {
    this.purgeExpired();
    return [...this.subscriptions.values()].map((s) => ({ ...s }));
  }

  async handle(
    method: string,
    rawPath: string,
    body: unknown,
    ifMatch: string | undefined,
    apiRoot: string,
  ): Promise<ApiResult> {
    this.purgeExpired();
    const match = SUBSCRIPTIONS_PATH.exec(rawPath);
    if (!match) throw bcErrors.resourceNotFound(rawPath);
    const id = match[1] ?? match[2];
    const context = `${apiRoot}/$metadata#subscriptions`;
    if (id === undefined) {
      if (method === 'GET') {
        return { status: 200, body: { '@odata.context': context, value: this.list().map(view) } };
      }
      if (method !== 'POST') throw bcErrors.methodNotAllowed(method, rawPath);
      return this.create(requireObject(body), context);
    }
    const existing = this.subscriptions.get(id);
    if (!existing) throw bcErrors.notFound('subscription');
    if (method === 'GET') {
      return { status: 200, body: { '@odata.context': `${context}/$entity`, ...view(existing) } };
    }
    if (method === 'DELETE') {
      checkEtag(existing, ifMatch);
      this.drop(id);
      return { status: 204 };
    }
    if (method !== 'PATCH') throw bcErrors.methodNotAllowed(method, rawPath);
    checkEtag(existing, ifMatch);
    const change = requireObject(body);
    const next: SandboxSubscription = {
      ...existing,
      notificationUrl: stringOr(change.notificationUrl, existing.notificationUrl),
      resource: stringOr(change.resource, existing.resource),
      clientState: stringOr(change.clientState, existing.clientState),
    };
    this.checkResource(next.resource);
    // Renewal repeats the handshake; only then does the expiry move (§5.12).
    await this.handshake(next.notificationUrl);
    const renewed = this.stamp({
      ...next,
      expirationDateTime: new Date(this.now() + this.lifetimeMs).toISOString(),
    });
    this.subscriptions.set(id, renewed);
    return { status: 200, body: { '@odata.context': `${context}/$entity`, ...view(renewed) } };
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private async create(body: Record<string, unknown>, context: string): Promise<ApiResult> {
    const notificationUrl = body.notificationUrl;
    const resource = body.resource;
    if (typeof notificationUrl !== 'string' || !/^https?:\/\//.test(notificationUrl)) {
      throw bcErrors.badRequest('notificationUrl must be an absolute URL.');
    }
    if (typeof resource !== 'string') throw bcErrors.badRequest('resource is required.');
    this.checkResource(resource);
    await this.handshake(notificationUrl);
    const subscription = this.stamp({
      subscriptionId: randomUUID().replace(/-/g, ''),
      notificationUrl,
      resource,
      clientState: typeof body.clientState === 'string' ? body.clientState : '',
      expirationDateTime: new Date(this.now() + this.lifetimeMs).toISOString(),
      userId: '00000000-0000-0000-0000-000000000001',
      lastModifiedDateTime: '',
      version: 0,
    });
    this.subscriptions.set(subscription.subscriptionId, subscription);
    return {
      status: 201,
      body: { '@odata.context': `${context}/$entity`, ...view(subscription) },
      headers: { etag: etag(subscription) },
    };
  }

  private checkResource(resource: string): void {
    const match = RESOURCE.exec(resource);
    if (!match || match[2].replace(/'/g, '').toLowerCase() !== this.store.company.id) {
      throw bcErrors.badRequest(`The resource '${resource}' is not valid for a subscription.`);
    }
    if (!(match[3] in SUPPORTED)) {
      throw bcErrors.badRequest(`The entity '${match[3]}' does not support webhook subscriptions.`);
    }
  }

  /** BC's validation request: the token back in a 200 body, or no subscription. */
  private async handshake(notificationUrl: string): Promise<void> {
    const token = randomUUID();
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    this.stats.handshakes++;
    let answer: { status: number; text: string } | null = null;
    try {
      const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(this.timeoutMs) });
      answer = { status: res.status, text: await res.text() };
    } catch {
      answer = null;
    }
    if (!answer || answer.status !== 200 || answer.text !== token) {
      this.stats.handshakesFailed++;
      throw new BcError(
        400,
        'BadRequest',
        `The subscription handshake with '${notificationUrl}' failed${answer ? ` (status ${answer.status})` : ''}.`,
      );
    }
  }

  private watch(
    entitySet: string,
    table: EntityTable<unknown>,
    headerId: (row: TableRow<unknown>) => string = (row) => row.id,
  ): void {
    const previous = table.onWrite;
    table.onWrite = (row, kind) => {
      previous?.(row, kind);
      this.changed(entitySet, headerId(row), kind, row.modifiedMs);
    };
  }

  private changed(
    entitySet: string,
    id: string,
    kind: PendingChange['changeType'],
    modifiedMs: number,
  ): void {
    if (this.closed) return;
    this.purgeExpired();
    for (const s of this.subscriptions.values()) {
      if (RESOURCE.exec(s.resource)?.[3] !== entitySet) continue;
      let pending = this.pending.get(s.subscriptionId);
      if (!pending) {
        const subscriptionId = s.subscriptionId;
        const timer = setTimeout(() => this.flush(subscriptionId), this.delayMs);
        pending = { changes: [], timer };
        this.pending.set(subscriptionId, pending);
      }
      pending.changes.push({ id, changeType: kind, modifiedMs });
    }
  }

  private flush(subscriptionId: string): void {
    const pending = this.pending.get(subscriptionId);
    this.pending.delete(subscriptionId);
    const s = this.subscriptions.get(subscriptionId);
    if (!pending || !s || this.closed) return;
    const base = RESOURCE.exec(s.resource)?.[1] ?? s.resource;
    const entry = (resource: string, changeType: string, modifiedMs: number): object => ({
      subscriptionId: s.subscriptionId,
      clientState: s.clientState,
      expirationDateTime: s.expirationDateTime,
      resource,
      changeType,
      lastModifiedDateTime: new Date(modifiedMs).toISOString(),
    });
    const first = Math.min(...pending.changes.map((c) => c.modifiedMs));
    const value =
      pending.changes.length > this.threshold
        ? [
            entry(
              `${base}?$filter=lastModifiedDateTime%20gt%20${new Date(first - 1).toISOString()}`,
              'collection',
              Math.max(...pending.changes.map((c) => c.modifiedMs)),
            ),
          ]
        : pending.changes.map((c) => entry(`${base}(${c.id})`, c.changeType, c.modifiedMs));
    void this.deliver(s, { value }, this.now(), 0);
  }

  private async deliver(
    s: SandboxSubscription,
    payload: { value: object[] },
    firstTriedMs: number,
    attempt: number,
  ): Promise<void> {
    if (this.closed) return;
    let status: number | 'network';
    try {
      const res = await fetch(s.notificationUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'network';
    }
    this.stats.log.push({
      at: new Date(this.now()).toISOString(),
      subscriptionId: s.subscriptionId,
      entries: payload.value.length,
      status,
    });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      this.stats.notificationsSent++;
      return;
    }
    this.stats.deliveriesFailed++;
    const retryable = status === 'network' || status === 408 || status === 429 || status >= 500;
    if (!retryable) {
      // Any other error status ends the retries and deletes the subscription (§5.12).
      this.stats.deletedByRefusal++;
      this.drop(s.subscriptionId);
      return;
    }
    const wait = this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)];
    if (this.now() + wait - firstTriedMs > this.retryWindowMs) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const current = this.subscriptions.get(s.subscriptionId);
      if (current) void this.deliver(current, payload, firstTriedMs, attempt + 1);
    }, wait);
    this.timers.add(timer);
  }

  private drop(id: string): void {
    this.subscriptions.delete(id);
    const pending = this.pending.get(id);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(id);
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const s of this.subscriptions.values()) {
      if (Date.parse(s.expirationDateTime) <= now) this.drop(s.subscriptionId);
    }
  }

  private stamp(s: SandboxSubscription): SandboxSubscription {
    return {
      ...s,
      lastModifiedDateTime: new Date(this.now()).toISOString(),
      version: s.version + 1,
    };
  }
}

function view(s: SandboxSubscription): Record<string, unknown> {
  return {
    '@odata.etag': etag(s),
    subscriptionId: s.subscriptionId,
    notificationUrl: s.notificationUrl,
    resource: s.resource,
    userId: s.userId,
    lastModifiedDateTime: s.lastModifiedDateTime,
    clientState: s.clientState,
    expirationDateTime: s.expirationDateTime,
    systemCreatedAt: s.lastModifiedDateTime,
    systemCreatedBy: s.userId,
    systemModifiedAt: s.lastModifiedDateTime,
    systemModifiedBy: s.userId,
  };
}

function etag(s: SandboxSubscription): string {
  return `W/"subscription-${s.version}"`;
}

function checkEtag(s: SandboxSubscription, ifMatch: string | undefined): void {
  if (ifMatch === undefined) {
    throw new BcError(
      428,
      'Request_EntityChanged',
      'Could not save the changes: If-Match header is required.',
    );
  }
  if (ifMatch !== '*' && ifMatch !== etag(s)) {
    throw new BcError(412, 'Request_EntityChanged', 'Another user has already changed the record.');
  }
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bcErrors.badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
