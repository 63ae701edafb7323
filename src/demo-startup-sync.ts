import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from './config/index.js';
import { INVENTORY_SYNC_JOB } from './modules/inventory/index.js';
import { MASTER_DATA_SYNC_JOB } from './modules/master-data/index.js';
import { PRICING_SYNC_JOB } from './modules/pricing/index.js';
import { JobsService } from './platform/jobs/index.js';

/**
 * The demo (embedded database, demo keys): the ERP's data is synced into the hub right after
 * start, not at the first schedule tick, so `npm start` followed by an order just works. The
 * syncs are deltas: after the first start they read only what changed.
 */
@Injectable()
export class DemoStartupSync implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DemoStartupSync.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || !this.config.jobsEnabled || !this.config.database.connect) return;
    // Master data first; prices and stock a moment later (they are independent of each other).
    await this.jobs.enqueue(MASTER_DATA_SYNC_JOB, null);
    await this.jobs.enqueue(PRICING_SYNC_JOB, null, { startAfter: 2 });
    await this.jobs.enqueue(INVENTORY_SYNC_JOB, null, { startAfter: 2 });
    this.logger.info('demo: master data, prices and stock are being synced from the ERP now');
  }
}
