import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/index.js';
import { MetricsService } from '../metrics/index.js';
import { JOBS_SCHEMA } from './jobs.service.js';

interface QueueCount {
  name: string;
  state: string;
  n: string;
}

/**
 * Queue depth for monitors, read from PostgreSQL at scrape time (so every instance reports the
 * same cluster-wide figures): jobs waiting or running per queue, and open exception records per
 * type — the dead-letter depth operations must work down.
 */
@Injectable()
export class JobsMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.database.connect) return;
    const db = this.db;
    this.metrics.gauge({
      name: 'crossdock_jobs',
      help: 'Jobs per queue and state (created, retry, active), cluster-wide',
      labelNames: ['queue', 'state'],
      async collect() {
        this.reset();
        if (!db.isInitialized) return;
        const rows: QueueCount[] = await db
          .query(
            `SELECT name, state, count(*) AS n FROM ${JOBS_SCHEMA}.job
              WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
          )
          .catch(() => []);
        for (const r of rows) this.set({ queue: r.name, state: r.state }, Number(r.n));
      },
    });
    this.metrics.gauge({
      name: 'crossdock_exceptions_open',
      help: 'Open exception records (dead-letter depth) per type',
      labelNames: ['type'],
      async collect() {
        this.reset();
        if (!db.isInitialized) return;
        const rows: { type: string; n: string }[] = await db
          .query(
            `SELECT type, count(*) AS n FROM ops_exception WHERE status = 'open' GROUP BY type`,
          )
          .catch(() => []);
        for (const r of rows) this.set({ type: r.type }, Number(r.n));
      },
    });
  }
}
