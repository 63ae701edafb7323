import { Injectable } from '@nestjs/common';
import { PinoLogger } from '../logging/index.js';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { AppConfig } from '../../config/index.js';

export interface HeldDeltaSyncLock {
  release(): Promise<void>;
}

/** The advisory-lock key of a sync: 64 bits of a hash of its name, as a signed bigint. */
export function deltaSyncLockKey(sync: string): string {
  return createHash('sha256')
    .update(`crossdock.delta-sync:${sync}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * One run of a given sync at a time across every instance: a session-level PostgreSQL advisory
 * lock, held for the length of the run on a connection of its own (not from the pool, so the lock
 * can never go back into the pool with a connection). Releasing closes that connection; if the
 * instance dies, PostgreSQL ends the session and the lock goes with it. No lease, no cleanup.
 */
@Injectable()
export class DeltaSyncLock {
  constructor(
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DeltaSyncLock.name);
  }

  /** The lock, or null when another run of this sync holds it. */
  async tryAcquire(sync: string): Promise<HeldDeltaSyncLock | null> {
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: `crossdock-${sync}-sync-lock`,
    });
    // A dropped connection also drops the lock; say so rather than crash on an unhandled 'error'.
    client.on('error', (error) =>
      this.logger.warn({ err: error, sync }, 'delta-sync lock connection failed'),
    );
    await client.connect();
    let locked = false;
    try {
      const result = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock($1::bigint) AS locked`,
        [deltaSyncLockKey(sync)],
      );
      locked = result.rows[0]?.locked === true;
    } finally {
      if (!locked) await client.end();
    }
    if (!locked) return null;
    let released: Promise<void> | undefined;
    return { release: () => (released ??= client.end()) };
  }
}
