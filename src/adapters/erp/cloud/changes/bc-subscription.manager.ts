import { describeError, type ErpLogger } from '../../shared/erp-logger.js';
import type { CloudErpConnection } from '../cloud-erp.connection.js';
import { ErpHttpError } from '../http/index.js';
import { BC_CHANGE_SOURCES } from './bc-change-sources.js';

/** Where the hub receives BC's notifications, under its public base URL. */
export const BC_NOTIFICATION_PATH = '/erp/cloud/notifications';
/** BC lets a subscription live 3 days; renew when less than this is left (hourly checks). */
export const RENEW_BEFORE_MS = 36 * 3600_000;
const SUBSCRIPTIONS_PATH = '/api/v2.0/subscriptions';

export interface BcSubscriptionSettings {
  /** The hub's public base URL (HUB_PUBLIC_URL). */
  publicUrl: string;
  /** The secret BC echoes in every notification. */
  clientState: string;
}

/** A subscription as BC lists it. */
interface BcSubscription {
  subscriptionId: string;
  notificationUrl: string;
  resource: string;
  clientState?: string;
  expirationDateTime: string;
  '@odata.etag'?: string;
}

export interface WatchedSubscription {
  entitySet: string;
  subscriptionId: string | null;
  expiresAt: string | null;
  /** What the last ensure did: kept, created, renewed, or failed (then the set is polled). */
  action: 'kept' | 'created' | 'renewed' | 'failed';
  error?: string;
}

/**
 * Keeps one BC webhook subscription per webhook-supported entity set (customers, items) pointed at
 * the hub: creates what is missing, renews (PATCH, which repeats BC's validation handshake) what
 * expires within RENEW_BEFORE_MS, re-creates what BC dropped (expired, deleted after a refused
 * notification: a PATCH answering 404), and removes duplicates. Stateless against BC's own list,
 * so any instance may run it (the renewal job runs it on one at a time).
 */
export class BcSubscriptionManager {
  private readonly state = new Map<string, WatchedSubscription>();

  constructor(
    private readonly erp: CloudErpConnection,
    readonly settings: BcSubscriptionSettings,
    private readonly logger: ErpLogger,
  ) {}

  get notificationUrl(): string {
    return `${this.settings.publicUrl}${BC_NOTIFICATION_PATH}`;
  }

  /** What the last ensure found, per watched entity set. */
  subscriptions(): WatchedSubscription[] {
    return [...this.state.values()];
  }

  /** True while a live subscription covers `entitySet` (so it need not be polled). */
  covers(entitySet: string, now: Date): boolean {
    const s = this.state.get(entitySet);
    return (
      !!s &&
      s.action !== 'failed' &&
      s.expiresAt !== null &&
      Date.parse(s.expiresAt) > now.getTime()
    );
  }

  /** Brings BC's subscriptions in line; one failing entity set does not stop the others. */
  async ensure(now: Date): Promise<WatchedSubscription[]> {
    const client = this.requireClient();
    const listed = await client.request<{ value: BcSubscription[] }>({
      method: 'GET',
      path: SUBSCRIPTIONS_PATH,
    });
    const ours = (listed.body?.value ?? []).filter(
      (s) => s.notificationUrl === this.notificationUrl,
    );
    const company = await this.erp.companyPath('standard');
    for (const source of BC_CHANGE_SOURCES.filter((s) => s.webhook)) {
      const resource = `${company}/${source.entitySet}`;
      const matching = ours
        .filter((s) => sameResource(s.resource, resource))
        .sort((a, b) => Date.parse(b.expirationDateTime) - Date.parse(a.expirationDateTime));
      let result: WatchedSubscription;
      try {
        result = await this.ensureOne(source.entitySet, resource, matching[0], now);
        // Two instances that created at once leave two: one is enough.
        for (const extra of matching.slice(1)) await this.remove(extra.subscriptionId);
      } catch (error) {
        result = {
          entitySet: source.entitySet,
          subscriptionId: null,
          expiresAt: null,
          action: 'failed',
          error: describeError(error),
        };
        this.logger.warn(
          { entitySet: source.entitySet, err: result.error },
          'BC webhook subscription could not be created or renewed; the entity set is polled',
        );
      }
      this.state.set(source.entitySet, result);
    }
    return this.subscriptions();
  }

  private async ensureOne(
    entitySet: string,
    resource: string,
    existing: BcSubscription | undefined,
    now: Date,
  ): Promise<WatchedSubscription> {
    const body = {
      notificationUrl: this.notificationUrl,
      resource,
      clientState: this.settings.clientState,
    };
    if (existing) {
      const fresh =
        existing.clientState === this.settings.clientState &&
        Date.parse(existing.expirationDateTime) - now.getTime() > RENEW_BEFORE_MS;
      if (fresh) {
        return {
          entitySet,
          subscriptionId: existing.subscriptionId,
          expiresAt: existing.expirationDateTime,
          action: 'kept',
        };
      }
      try {
        const renewed = await this.requireClient().request<BcSubscription>({
          method: 'PATCH',
          path: `${SUBSCRIPTIONS_PATH}('${encodeURIComponent(existing.subscriptionId)}')`,
          body,
          headers: { 'if-match': existing['@odata.etag'] ?? '*' },
          retrySafe: true,
        });
        this.logger.info(
          { entitySet, expiresAt: renewed.body.expirationDateTime },
          'BC webhook subscription renewed',
        );
        return {
          entitySet,
          subscriptionId: renewed.body.subscriptionId,
          expiresAt: renewed.body.expirationDateTime,
          action: 'renewed',
        };
      } catch (error) {
        // Expired or deleted by BC between the list and the PATCH: create it again.
        if (!(error instanceof ErpHttpError && error.status === 404)) throw error;
      }
    }
    const created = await this.requireClient().request<BcSubscription>({
      method: 'POST',
      path: SUBSCRIPTIONS_PATH,
      body,
    });
    this.logger.info(
      { entitySet, expiresAt: created.body.expirationDateTime },
      'BC webhook subscription created',
    );
    return {
      entitySet,
      subscriptionId: created.body.subscriptionId,
      expiresAt: created.body.expirationDateTime,
      action: 'created',
    };
  }

  private async remove(subscriptionId: string): Promise<void> {
    try {
      await this.requireClient().request({
        method: 'DELETE',
        path: `${SUBSCRIPTIONS_PATH}('${encodeURIComponent(subscriptionId)}')`,
        headers: { 'if-match': '*' },
        retrySafe: true,
      });
    } catch (error) {
      if (!(error instanceof ErpHttpError && error.status === 404)) throw error;
    }
  }

  private requireClient(): NonNullable<CloudErpConnection['client']> {
    if (!this.erp.client) throw new Error('The cloud ERP is not configured.');
    return this.erp.client;
  }
}

/** BC accepts a relative or absolute resource: compare the path from `/api/` on. */
function sameResource(a: string, b: string): boolean {
  const path = (r: string): string => r.slice(Math.max(0, r.indexOf('/api/'))).toLowerCase();
  return path(a) === path(b);
}
