import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from './platform/logging/index.js';
import { AppConfig } from './config/index.js';
import { INVENTORY_SYNC_JOB } from './modules/inventory/index.js';
import { MASTER_DATA_SYNC_JOB } from './modules/master-data/index.js';
import { PRICING_SYNC_JOB } from './modules/pricing/index.js';
import { ReadinessRegistry, type ReadinessResult } from './platform/health/index.js';
import { JobsService } from './platform/jobs/index.js';

/** The readiness check that holds `/health/ready` at 503 until the demo's first sync is done. */
export const INITIAL_SYNC_CHECK = 'initial-sync';

interface StartJob {
  name: string;
  id: string | null;
}

/**
 * The demo (embedded database, demo keys): the ERP's data is synced into the hub right after
 * start, not at the first schedule tick, so `npm start` followed by an order just works. The
 * syncs are deltas: after the first start they read only what changed.
 *
 * Until those syncs have completed, the hub has no (or stale) customers, items, prices and stock:
 * an order placed then is refused with 422. So readiness waits for them (check `initial-sync`),
 * and whoever waits for `/health/ready` before the first order, as the README does, gets a hub
 * that can take it.
 */
@Injectable()
export class DemoStartupSync implements OnModuleInit, OnApplicationBootstrap {
  private startJobs?: StartJob[];
  private done = false;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly readiness: ReadinessRegistry,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DemoStartupSync.name);
  }

  private get enabled(): boolean {
    return this.config.demoSeed && this.config.jobsEnabled && this.config.database.connect;
  }

  onModuleInit(): void {
    if (this.enabled) this.readiness.register(INITIAL_SYNC_CHECK, () => this.initialSync());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // Master data first; prices and stock a moment later (they are independent of each other).
    const jobs: StartJob[] = [];
    jobs.push({
      name: MASTER_DATA_SYNC_JOB,
      id: await this.jobs.enqueue(MASTER_DATA_SYNC_JOB, null),
    });
    for (const name of [PRICING_SYNC_JOB, INVENTORY_SYNC_JOB]) {
      jobs.push({ name, id: await this.jobs.enqueue(name, null, { startAfter: 2 }) });
    }
    this.startJobs = jobs;
    this.logger.info('demo: master data, prices and stock are being synced from the ERP now');
  }

  private async initialSync(): Promise<ReadinessResult> {
    if (this.done) return { up: true };
    const jobs = this.startJobs;
    if (!jobs) return inProgress();
    const states = await Promise.all(
      jobs.map(async (job) => ({
        name: job.name,
        // A singleton policy may have dropped the enqueue (a sync of that kind was already queued):
        // that queued sync does the same work, and the next scheduled one follows anyway.
        state: job.id === null ? 'completed' : await this.jobs.jobState(job.name, job.id),
      })),
    );
    const failed = states.filter((s) => s.state === 'failed' || s.state === 'cancelled');
    if (failed.length > 0) {
      return {
        up: false,
        details: {
          message: 'first sync failed; see the exception queue',
          failed: failed.map((s) => s.name),
        },
      };
    }
    if (states.every((s) => s.state === 'completed')) {
      this.done = true;
      this.logger.info('demo: first sync done, the hub is ready');
      return { up: true };
    }
    return inProgress(states.filter((s) => s.state !== 'completed').map((s) => s.name));
  }
}

function inProgress(pending?: string[]): ReadinessResult {
  return {
    up: false,
    details: { message: 'first sync in progress', ...(pending ? { pending } : {}) },
  };
}
