import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from '../logging/index.js';
import type { Histogram } from 'prom-client';
import type { DataSource, QueryResult } from 'typeorm';
import { AppConfig } from '../../config/index.js';
import { CorrelationContext } from '../correlation/index.js';
import { JobsService } from '../jobs/index.js';
import { MetricsService } from '../metrics/index.js';
import { DEFAULT_OUTBOX_OPTIONS, OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options.js';
import { OutboxService } from './outbox.service.js';
import { OutboxMessage } from './outbox.types.js';

export const OUTBOX_PUBLISH_JOB = 'platform.outbox-publish';
export const OUTBOX_CLEANUP_JOB = 'platform.outbox-cleanup';
export const OUTBOX_DELAY_METRIC = 'outbox_event_publish_delay_seconds';

/** Transaction-level advisory lock: one publisher at a time across instances ("OUTBOX"). */
const PUBLISH_LOCK_KEY = '79858466798896';

interface EventRow {
  id: string;
  type: string;
  key: string | null;
  payload: unknown;
  correlation_id: string | null;
  occurred_at: Date;
  created_at: Date;
}

export interface PublishRun {
  published: number;
  /** Earliest available_at among unpublished events after this run, if any. */
  nextDueAt: Date | null;
}

/**
 * Publishes due outbox events: claims them in id order, hands each to the in-process EventBus,
 * marks them published and records `outbox_event_publish_delay_seconds` (occurredAt → published)
 * in one transaction. Delivery is at least once: a crash after the EventBus saw an event and
 * before the commit publishes it again.
 *
 * It runs when an event added on this instance falls due (so a coalescing window is the only
 * delay), every `pollIntervalMs` for events added elsewhere, and as the pg-boss job
 * `platform.outbox-publish` every minute (a safety net should the in-process loop stop).
 * A transaction-level advisory lock lets one instance publish at a time, so events leave in id
 * order; events of one (type, key) always leave in the order they were added.
 */
@Injectable()
export class OutboxPublisher
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly options: OutboxOptions;
  private readonly delay: Histogram<'type'>;
  private timer?: NodeJS.Timeout;
  private timerAt = Number.POSITIVE_INFINITY;
  private loop?: Promise<void>;
  private rerun = false;
  private active = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly eventBus: EventBus,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    metrics: MetricsService,
    @Optional() @Inject(OUTBOX_OPTIONS) options?: Partial<OutboxOptions>,
  ) {
    this.logger.setContext(OutboxPublisher.name);
    this.options = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
    this.delay = metrics.histogram({
      name: OUTBOX_DELAY_METRIC,
      help: 'Seconds from the source event (occurredAt) to its outbox event being published, by type',
      labelNames: ['type'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    });
  }

  onModuleInit(): void {
    this.jobs.register<null>({
      name: OUTBOX_PUBLISH_JOB,
      retryLimit: 0,
      concurrency: 1,
      handler: async (_payload, ctx) => {
        const published = await this.drain();
        if (published > 0) ctx.logger.info({ published }, 'outbox events published by the job');
      },
    });
    this.jobs.schedule(OUTBOX_PUBLISH_JOB, '* * * * *');
    this.jobs.register<null>({
      name: OUTBOX_CLEANUP_JOB,
      retryLimit: 2,
      retryDelaySeconds: 60,
      handler: async (_payload, ctx) => {
        const purged = await this.purgePublished();
        ctx.logger.info({ purged }, 'published outbox events purged');
      },
    });
    this.jobs.schedule(OUTBOX_CLEANUP_JOB, '17 * * * *');
    this.outbox.onAdded((dueAtMs) => this.wakeAt(dueAtMs));
  }

  onApplicationBootstrap(): void {
    // Background work runs where jobs run; an instance without jobs only writes events.
    if (!this.config.jobsEnabled || !this.config.database.connect) return;
    this.active = true;
    this.wakeAt(Date.now());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.loop;
  }

  /** Publishes everything due now, batch after batch; returns how many events were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const run = await this.publishDue();
      total += run.published;
      if (run.published < this.options.batchSize) return total;
    }
  }

  /** One transaction: claim up to batchSize due events, publish them, mark them published. */
  async publishDue(): Promise<PublishRun> {
    return CorrelationContext.run({ correlationId: 'outbox-publisher', origin: 'system' }, () =>
      this.dataSource.transaction(async (manager) => {
        const runner = manager.queryRunner!;
        const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
          ((await runner.query(sql, params, true)) as QueryResult<T>).records ?? [];
        const [lock] = await query<{ locked: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${PUBLISH_LOCK_KEY}::bigint) AS locked`,
        );
        if (!lock?.locked) return { published: 0, nextDueAt: null };
        const claimed = await query<EventRow>(
          `SELECT id, type, key, payload, correlation_id, occurred_at, created_at
             FROM outbox_event
            WHERE published_at IS NULL AND available_at <= clock_timestamp()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED`,
          [this.options.batchSize],
        );
        for (const row of claimed) this.publishOne(row);
        let publishedAt: Date | null = null;
        if (claimed.length > 0) {
          const [marked] = await query<{ published_at: Date }>(
            `UPDATE outbox_event SET published_at = clock_timestamp()
              WHERE id = ANY($1::bigint[])
              RETURNING published_at`,
            [claimed.map((row) => row.id)],
          );
          publishedAt = marked?.published_at ?? new Date();
        }
        const [next] = await query<{ due: Date | null }>(
          `SELECT min(available_at) AS due FROM outbox_event WHERE published_at IS NULL`,
        );
        if (publishedAt) {
          for (const row of claimed) {
            const seconds = (publishedAt.getTime() - row.occurred_at.getTime()) / 1000;
            this.delay.observe({ type: row.type }, Math.max(0, seconds));
          }
        }
        return { published: claimed.length, nextDueAt: next?.due ?? null };
      }),
    );
  }

  /** Deletes events published more than retentionHours ago. */
  async purgePublished(): Promise<number> {
    const result = (await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM outbox_event
          WHERE published_at < clock_timestamp() - $1 * interval '1 hour'
          RETURNING 1)
       SELECT count(*)::int AS purged FROM gone`,
      [this.options.retentionHours],
    )) as { purged: number }[];
    return result[0]?.purged ?? 0;
  }

  /** An event can never block the ones behind it: one that fails to publish is logged and skipped. */
  private publishOne(row: EventRow): void {
    const message = new OutboxMessage(
      row.id,
      row.type,
      row.key,
      row.payload,
      row.correlation_id,
      row.occurred_at,
      row.created_at,
    );
    try {
      const mapper = this.outbox.mapperFor(row.type);
      const event = mapper ? mapper(message) : message;
      CorrelationContext.run(
        { correlationId: row.correlation_id ?? `outbox-${row.id}`, origin: 'system' },
        () => this.eventBus.publish(event),
      );
    } catch (error) {
      this.logger.error(
        { err: error, outboxEventId: row.id, type: row.type, key: row.key },
        'outbox event could not be handed to the event bus; it is marked published',
      );
    }
  }

  /** Runs the loop at `atMs` unless it is already due to run earlier. */
  private wakeAt(atMs: number): void {
    if (!this.active || atMs >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = atMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, atMs - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (!this.active) return;
    if (this.loop) {
      // A run is in progress: it looks again before it sleeps.
      this.rerun = true;
      return;
    }
    this.loop = this.runLoop().finally(() => {
      this.loop = undefined;
      if (this.rerun) this.fire();
    });
  }

  private async runLoop(): Promise<void> {
    let next = Date.now() + this.options.pollIntervalMs;
    try {
      let run: PublishRun;
      do {
        this.rerun = false;
        run = await this.publishDue();
      } while (this.active && (this.rerun || run.published >= this.options.batchSize));
      // Due but not claimed (a writer is merging into it): look again shortly, not in a spin.
      if (run.nextDueAt) next = Math.min(next, Math.max(run.nextDueAt.getTime(), Date.now() + 5));
    } catch (error) {
      this.logger.error({ err: error }, 'outbox publishing failed; trying again at the next poll');
    }
    this.wakeAt(next);
  }
}
