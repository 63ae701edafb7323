import { Inject, type OnModuleDestroy, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { randomUUID } from 'node:crypto';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { MASTER_DATA_KINDS, type MasterDataKind } from '../../../domain/master-data-kind.js';
import { emptyCounts, type EntitySyncCounts, type SyncRun } from '../../../domain/sync-run.js';
import { SyncLock } from '../../../infrastructure/sync-lock.js';
import { SyncRunRepository } from '../../../infrastructure/sync-run.repository.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { MasterDataFeed } from '../../ports/master-data.feed.js';
import { MasterDataSyncEngine } from './master-data-sync.engine.js';
import { SyncMasterDataCommand } from './sync-master-data.command.js';

const SHUTDOWN_WAIT_MS = 15_000;

@CommandHandler(SyncMasterDataCommand)
export class SyncMasterDataHandler
  implements ICommandHandler<SyncMasterDataCommand>, OnModuleDestroy
{
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    // AppModule binds one through ErpAdapterModule; a composition without it (tests that bind
    // their own feed, `AppModule.forRoot(config, { erpAdapter: false })`) answers 503.
    @Optional() @Inject(MasterDataFeed) private readonly feed: MasterDataFeed | null,
    private readonly lock: SyncLock,
    private readonly runs: SyncRunRepository,
    private readonly engine: MasterDataSyncEngine,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SyncMasterDataHandler.name);
  }

  async execute(command: SyncMasterDataCommand): Promise<SyncRun> {
    const feed = this.feed;
    if (!feed) throw MasterDataErrors.erpAdapterUnavailable();
    if (this.stopping.signal.aborted) throw MasterDataErrors.shuttingDown();
    const lock = await this.lock.tryAcquire();
    if (!lock) {
      const running = await this.runs.findRunning();
      throw MasterDataErrors.syncAlreadyRunning(running?.id ?? null);
    }
    let run: SyncRun;
    try {
      const now = new Date();
      const abandoned = await this.runs.failAbandoned(now);
      if (abandoned > 0) {
        this.logger.warn(
          { abandoned },
          'marked master-data sync runs of a stopped instance failed',
        );
      }
      run = {
        id: randomUUID(),
        trigger: command.trigger,
        status: 'running',
        feed: feed.name,
        entities: Object.fromEntries(MASTER_DATA_KINDS.map((k) => [k, emptyCounts()])) as Record<
          MasterDataKind,
          EntitySyncCounts
        >,
        startedAt: now,
        finishedAt: null,
        durationMs: null,
        error: null,
        correlationId: CorrelationContext.current() ?? null,
      };
      await this.runs.save(run);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const started = structuredClone(run);
    const work = this.engine.run(feed, run, this.stopping.signal).finally(() =>
      // Closing the lock's own connection cannot fail the run; PostgreSQL drops it regardless.
      lock
        .release()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'closing the master-data sync lock connection failed'),
        ),
    );
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    if (command.wait) return work;
    // Background: the caller has its run id already; a crash here is logged, and the run row is
    // failed by the next sync (failAbandoned) if it could not record the failure itself.
    void work.catch((error: unknown) =>
      this.logger.error({ err: error, syncRunId: run.id }, 'master-data sync crashed'),
    );
    return started;
  }

  /**
   * Shutdown: stop running syncs after their current page and wait for them, before the
   * DataSource closes. Bounded: a feed that ignores the abort signal cannot hang the shutdown
   * (the run is then failed by the next sync; its lock dies with the process).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SHUTDOWN_WAIT_MS);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(
        { waitedMs: SHUTDOWN_WAIT_MS },
        'master-data sync still running at shutdown',
      );
    }
  }
}
