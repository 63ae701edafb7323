import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { PinoLogger } from '../logging/index.js';
import { JobsService } from '../jobs/index.js';

/**
 * The hub's delta-synced feeds, by the name their sync runs carry. An ERP adapter says which of
 * them an ERP change touches; the module that owns a feed says which job re-reads it.
 */
export const ERP_FEEDS = [
  'master-data',
  'pricing',
  'inventory',
  // Shipments and invoices (the fulfillment module), ERP-side order changes (the orders module).
  'fulfillment',
  'order-changes',
] as const;
export type ErpFeed = (typeof ERP_FEEDS)[number];

/**
 * "Feed X changed in the ERP, re-read it soon": raised by an ERP adapter (a webhook from the ERP,
 * a cheap poll that saw a table move) and turned into the owning module's own delta-sync job.
 *
 * Coalescing is pg-boss': a feed's sync queue uses the `stately` policy (at most one job queued
 * and one running per queue, across every hub instance), so a burst of notifications from any
 * number of instances yields one run already going plus at most one queued behind it, and the
 * queued one starts after the change was seen (it reads everything up to then). The job is held
 * back ERP_CHANGE_DEBOUNCE_MS so that the rest of a burst lands in the same run.
 */
@Injectable()
export class ErpChangeTrigger {
  private readonly jobs = new Map<ErpFeed, string>();

  constructor(
    private readonly queue: JobsService,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ErpChangeTrigger.name);
  }

  /**
   * Names the job that delta-syncs `feed` (call from the module's onModuleInit, where it
   * registers that job; the job's queue must use the `stately` policy).
   */
  register(feed: ErpFeed, jobName: string): void {
    this.jobs.set(feed, jobName);
  }

  /** The feeds some module re-reads on an ERP change. */
  registeredFeeds(): ErpFeed[] {
    return ERP_FEEDS.filter((feed) => this.jobs.has(feed));
  }

  /**
   * Asks for a delta sync of each feed soon. Resolves once the jobs are stored (a caller that
   * must not lose the change, like a webhook receiver, answers only then); rejects when the
   * job store is unreachable.
   */
  async changed(feeds: Iterable<ErpFeed>, source: string): Promise<ErpFeed[]> {
    const wanted = [...new Set(feeds)].filter((feed) => this.jobs.has(feed));
    const startAfter = new Date(Date.now() + this.config.erpChanges.debounceMs);
    await Promise.all(
      wanted.map(async (feed) => {
        const id = await this.queue.enqueue(this.jobs.get(feed) as string, null, { startAfter });
        this.logger.debug(
          { feed, source, jobId: id },
          id ? 'ERP change: feed sync queued' : 'ERP change: a feed sync is already queued',
        );
      }),
    );
    return wanted;
  }
}
