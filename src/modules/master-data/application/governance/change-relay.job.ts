import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from '../../../../platform/logging/index.js';
import type { DataSource } from 'typeorm';
import { JobsService } from '../../../../platform/jobs/index.js';
import type { AuditEntry } from '../../domain/audit-entry.js';
import { AuditLog } from '../../infrastructure/audit-log.js';
import { CustomerChanged, type MasterDataChange } from '../events/customer-changed.event.js';
import { ItemChanged } from '../events/item-changed.event.js';

export const PUBLISH_CHANGES_JOB = 'master-data.publish-changes';
const BATCH = 500;

/**
 * Publishes accepted master-data changes as CustomerChanged / ItemChanged on the EventBus.
 *
 * The audit trail is the outbox: every change is appended to it in the transaction that makes
 * it, and this relay follows it by id (ids grow in commit order, see the governance migration),
 * so no committed change is missed and none is published before it commits. At least once: a
 * crash between publishing and saving the position publishes that batch again.
 *
 * It runs as a job: kicked after each write (best effort) and every minute as a safety net,
 * one relay at a time across instances (the position row is locked, SKIP LOCKED).
 */
@Injectable()
export class ChangeRelayJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly eventBus: EventBus,
    private readonly audit: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ChangeRelayJob.name);
  }

  onModuleInit(): void {
    this.jobs.register<null>({
      name: PUBLISH_CHANGES_JOB,
      handler: async () => {
        await this.relay();
      },
      retryLimit: 3,
      retryDelaySeconds: 5,
      concurrency: 1,
      policy: 'short',
      pollingIntervalSeconds: 0.5,
    });
    this.jobs.schedule(PUBLISH_CHANGES_JOB, '* * * * *');
  }

  /**
   * Asks for a relay run soon, after a write committed. Best effort by design: the changes are
   * already durable in the audit trail and the scheduled run publishes them if this kick fails
   * (e.g. jobs disabled on this instance).
   */
  async kick(): Promise<void> {
    try {
      await this.jobs.enqueue(PUBLISH_CHANGES_JOB, null, { singletonKey: PUBLISH_CHANGES_JOB });
    } catch (error) {
      this.logger.debug({ err: error }, 'change relay not kicked; the scheduled run will publish');
    }
  }

  /** Publishes everything not yet published; returns how many changes it published. */
  async relay(): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const [position] = (await manager.query(
          `SELECT last_audit_id FROM md_change_relay WHERE id = 1 FOR UPDATE SKIP LOCKED`,
        )) as { last_audit_id: string }[];
        if (!position) return null;
        const rows = await this.audit.after(manager, position.last_audit_id, BATCH);
        const groups = groupByChange(rows, rows.length === BATCH);
        for (const group of groups) this.publish(group);
        const last = groups.at(-1)?.at(-1);
        if (last) {
          await manager.query(`UPDATE md_change_relay SET last_audit_id = $1 WHERE id = 1`, [
            last.id,
          ]);
        }
        return { changes: groups.length, full: rows.length === BATCH };
      });
      if (!batch) return published;
      published += batch.changes;
      if (!batch.full || batch.changes === 0) return published;
    }
  }

  private publish(group: AuditEntry[]): void {
    const first = group[0];
    const change: MasterDataChange = {
      changeId: first.changeId,
      sourceSystem: first.sourceSystem,
      path: first.path,
      channelId: first.channelId,
      correlationId: first.correlationId,
      changes: group.map((e) => ({ field: e.field, oldValue: e.oldValue, newValue: e.newValue })),
      occurredAt: first.recordedAt,
    };
    if (first.entity === 'customer') this.eventBus.publish(new CustomerChanged(first.key, change));
    else if (first.entity === 'item') this.eventBus.publish(new ItemChanged(first.key, change));
  }
}

/**
 * Consecutive rows of one change id form one event. When the batch was cut at its limit, the
 * last group may continue in the next batch: it is left for then (unless it is all there is).
 */
function groupByChange(rows: AuditEntry[], cut: boolean): AuditEntry[][] {
  const groups: AuditEntry[][] = [];
  for (const row of rows) {
    const current = groups.at(-1);
    if (current && current[0].changeId === row.changeId) current.push(row);
    else groups.push([row]);
  }
  if (cut && groups.length > 1) groups.pop();
  return groups;
}
