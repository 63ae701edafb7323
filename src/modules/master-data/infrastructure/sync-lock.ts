import { Injectable } from '@nestjs/common';
import { PinoLogger } from '../../../platform/logging/index.js';
import pg from 'pg';
import { AppConfig } from '../../../config/index.js';

/** Advisory-lock key of the master-data sync ("MDSYNC" in ASCII, as a bigint). */
const SYNC_LOCK_KEY = '84955851476547';

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One master-data sync at a time across every instance: a session-level PostgreSQL advisory lock,
 * held for the length of the run on a connection of its own (not from the pool, so the lock can
 * never go back into the pool with a connection). Releasing closes that connection; if the
 * instance dies, PostgreSQL ends the session and the lock goes with it. No lease, no cleanup.
 */
@Injectable()
export class SyncLock {
  constructor(
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SyncLock.name);
  }

  /** The lock, or null when another sync holds it. */
  async tryAcquire(): Promise<HeldLock | null> {
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: 'crossdock-master-data-sync-lock',
    });
    // A dropped connection also drops the lock; say so rather than crash on an unhandled 'error'.
    client.on('error', (error) =>
      this.logger.warn({ err: error }, 'master-data sync lock connection failed'),
    );
    await client.connect();
    let locked = false;
    try {
      const result = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${SYNC_LOCK_KEY}::bigint) AS locked`,
      );
      locked = result.rows[0]?.locked === true;
    } finally {
      if (!locked) await client.end();
    }
    if (!locked) return null;
    let released: Promise<void> | undefined;
    return {
      release: () => (released ??= client.end()),
    };
  }
}
