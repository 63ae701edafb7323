import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../../config/index.js';
import { Clock } from '../../../../platform/clock/index.js';
import { ErpChangeTrigger, type ErpFeed } from '../../../../platform/erp-changes/index.js';
import { ReadinessRegistry } from '../../../../platform/health/index.js';
import { JobsService } from '../../../../platform/jobs/index.js';
import { PinoLogger } from '../../../../platform/logging/index.js';
import { type ErpChangeMarks, ErpChangePoller } from '../../shared/erp-change.poller.js';
import { CloudErpConnection, isMissingEntitySet } from '../cloud-erp.connection.js';
import { BC_CHANGE_SOURCES, feedsOfResource } from './bc-change-sources.js';
import { BcSubscriptionManager } from './bc-subscription.manager.js';

/** Creates and renews the BC webhook subscriptions (hourly, and at start). */
export const BC_SUBSCRIPTIONS_JOB = 'erp.cloud-subscriptions';

/** What a BC notification says; the payload carries no entity data (shared/erp §5.12). */
interface BcNotification {
  subscriptionId?: unknown;
  clientState?: unknown;
  resource?: unknown;
  changeType?: unknown;
}

export type NotificationOutcome =
  | { status: 'accepted'; feeds: ErpFeed[] }
  | { status: 'not-configured' }
  | { status: 'malformed' }
  | { status: 'forged' };

/**
 * Cloud ERP change detection: BC webhooks on the entity sets BC supports (customers, items)
 * when HUB_PUBLIC_URL and CLOUD_ERP_WEBHOOK_CLIENT_STATE are set, and a cheap frequent poll of
 * the others (locations, custom API pages) — of all of them while webhooks are off or a
 * subscription could not be made. Either way a change asks for a delta sync of its feeds.
 */
@Injectable()
export class CloudErpChanges
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  readonly subscriptions: BcSubscriptionManager | null;
  readonly poller: ErpChangePoller | null;

  constructor(
    private readonly erp: CloudErpConnection,
    private readonly trigger: ErpChangeTrigger,
    private readonly jobs: JobsService,
    private readonly readiness: ReadinessRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CloudErpChanges.name);
    const webhooks = config.cloudErp.webhooks;
    this.subscriptions =
      webhooks && erp.configured ? new BcSubscriptionManager(erp, webhooks, logger) : null;
    const seconds = config.erpChanges.pollSeconds;
    this.poller =
      seconds && config.jobsEnabled && erp.configured
        ? new ErpChangePoller({
            intervalSeconds: seconds,
            probe: () => this.readMarks(),
            feedsOf: (entitySet) =>
              BC_CHANGE_SOURCES.find((s) => s.entitySet === entitySet)?.feeds ?? [],
            trigger,
            source: 'cloud-poll',
            logger,
          })
        : null;
  }

  onModuleInit(): void {
    this.readiness.register('erpChanges', () =>
      Promise.resolve({ up: true, details: this.describe() }),
    );
    const subscriptions = this.subscriptions;
    if (!subscriptions) return;
    this.jobs.register<null>({
      name: BC_SUBSCRIPTIONS_JOB,
      handler: async (_payload, ctx) => {
        const result = await subscriptions.ensure(this.clock.now());
        ctx.logger.info({ subscriptions: result }, 'BC webhook subscriptions checked');
      },
      policy: 'stately',
      concurrency: 1,
      retryLimit: 3,
      retryDelaySeconds: 60,
    });
    this.jobs.schedule(BC_SUBSCRIPTIONS_JOB, '13 * * * *');
  }

  async onApplicationBootstrap(): Promise<void> {
    this.poller?.start();
    if (this.subscriptions && this.config.jobsEnabled) {
      // BC calls the hub back (the handshake) before it answers the create: give the hub a few
      // seconds to listen first; a failed handshake is retried by the job anyway.
      await this.jobs
        .enqueue(BC_SUBSCRIPTIONS_JOB, null, { startAfter: 3 })
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not queue the BC subscription check'),
        );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.poller?.stop();
  }

  /**
   * A notification POSTed by BC: checked against the clientState secret (BC signs nothing), then
   * each entry's resource turned into the feeds to re-read. `collection` and single-record
   * changes alike mean "re-read": the delta sync reads by watermark, not by the record.
   */
  async receive(body: unknown): Promise<NotificationOutcome> {
    const secret = this.subscriptions?.settings.clientState;
    if (!secret) return { status: 'not-configured' };
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value) || value.length === 0) return { status: 'malformed' };
    const entries = value as BcNotification[];
    if (
      !entries.every((n) => typeof n.clientState === 'string' && sameSecret(n.clientState, secret))
    ) {
      this.logger.warn(
        { entries: entries.length },
        'BC notification refused: clientState mismatch',
      );
      return { status: 'forged' };
    }
    const feeds = new Set<ErpFeed>();
    for (const n of entries) {
      for (const feed of feedsOfResource(typeof n.resource === 'string' ? n.resource : '')) {
        feeds.add(feed);
      }
    }
    const queued = await this.trigger.changed(feeds, 'bc-webhook');
    this.logger.info(
      {
        feeds: queued,
        changes: entries.map((n) => ({ resource: n.resource, changeType: n.changeType })),
      },
      'BC notification: delta sync requested',
    );
    return { status: 'accepted', feeds: queued };
  }

  /** Whether handshakes are answered: only while this hub subscribes. */
  get acceptsHandshakes(): boolean {
    return this.subscriptions !== null;
  }

  /** For /health/ready: how ERP changes reach the hub, and why not by webhook when they do not. */
  describe(): Record<string, unknown> {
    const now = this.clock.now();
    return {
      mode: this.subscriptions ? 'webhooks+polling' : 'polling',
      ...(this.subscriptions
        ? {
            notificationUrl: this.subscriptions.notificationUrl,
            subscriptions: this.subscriptions.subscriptions(),
          }
        : {
            webhooks: 'off: set HUB_PUBLIC_URL and CLOUD_ERP_WEBHOOK_CLIENT_STATE for BC webhooks',
          }),
      pollSeconds: this.poller ? this.config.erpChanges.pollSeconds : null,
      polled: this.poller ? this.polledSources(now).map((s) => s.entitySet) : [],
      ...(this.poller ? { poll: this.poller.stats } : {}),
    };
  }

  private polledSources(now: Date): typeof BC_CHANGE_SOURCES {
    return BC_CHANGE_SOURCES.filter(
      (s) =>
        !(s.webhook && this.subscriptions?.covers(s.entitySet, now)) &&
        (s.api === 'standard' || this.erp.customPageAvailable(s.entitySet)),
    );
  }

  /**
   * One row per polled entity set, newest first: its lastModifiedDateTime (and id) is the mark.
   * A missing custom page is skipped (its readers fall back to standard BC); any other failure
   * leaves that set out of this look.
   */
  private async readMarks(): Promise<ErpChangeMarks> {
    const marks: ErpChangeMarks = {};
    let failures = 0;
    const sources = this.polledSources(this.clock.now());
    for (const source of sources) {
      try {
        const page = await this.erp.page<{ id: string; lastModifiedDateTime?: string }>(
          source.api,
          source.entitySet,
          { select: ['id', 'lastModifiedDateTime'], orderby: 'lastModifiedDateTime desc' },
          1,
        );
        const top = page.rows[0];
        marks[source.entitySet] = top ? `${top.lastModifiedDateTime ?? ''}/${top.id}` : '-';
      } catch (error) {
        if (!isMissingEntitySet(error)) failures++;
      }
    }
    if (failures > 0 && Object.keys(marks).length === 0) {
      throw new Error(`every ERP change probe failed (${failures})`);
    }
    return marks;
  }
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
