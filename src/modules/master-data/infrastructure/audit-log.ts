import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntry, AuditPath } from '../domain/audit-entry.js';
import type { AuditedEntity, FieldChange } from '../domain/field-state.js';
import type { SourceSystem } from '../domain/system-of-record.js';

/** Who made a change and how: stamped on every audit row of one write. */
export interface AuditContext {
  sourceSystem: SourceSystem;
  path: AuditPath;
  channelId: string | null;
  proposalId: string | null;
  correlationId: string | null;
}

interface AuditRow {
  id: string;
  change_id: string;
  entity: AuditedEntity;
  entity_key: string;
  field: string;
  old_value: AuditEntry['oldValue'];
  new_value: AuditEntry['newValue'];
  source_system: string;
  path: AuditPath;
  channel_id: string | null;
  proposal_id: string | null;
  correlation_id: string | null;
  recorded_at: Date;
}

/**
 * The append-only audit trail of master data (md_audit_log; the table refuses UPDATE, DELETE and
 * TRUNCATE). Every writer appends on its own transaction, after taking md_change_clock.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one record's field changes as one change (one change id); none → nothing. */
  async append(
    manager: EntityManager,
    entity: AuditedEntity,
    key: string,
    changes: FieldChange[],
    context: AuditContext,
  ): Promise<void> {
    if (changes.length === 0) return;
    const changeId = randomUUID();
    await manager.query(
      `INSERT INTO md_audit_log (change_id, entity, entity_key, field, old_value, new_value,
         source_system, path, channel_id, proposal_id, correlation_id)
       SELECT $1, $2, $3, c.field, COALESCE(c.old_value, 'null'::jsonb), COALESCE(c.new_value, 'null'::jsonb), $5, $6, $7, $8, $9
       FROM jsonb_to_recordset($4::jsonb) AS c(field text, old_value jsonb, new_value jsonb)`,
      [
        changeId,
        entity,
        key,
        JSON.stringify(
          changes.map((c) => ({ field: c.field, old_value: c.oldValue, new_value: c.newValue })),
        ),
        context.sourceSystem,
        context.path,
        context.channelId,
        context.proposalId,
        context.correlationId,
      ],
    );
  }

  /** One record's history, oldest first, after audit id `afterId`. */
  async history(
    entity: AuditedEntity,
    key: string,
    afterId: string | null,
    limit: number,
  ): Promise<AuditEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM md_audit_log
       WHERE entity = $1 AND entity_key = $2 AND id > $3::bigint
       ORDER BY id LIMIT $4`,
      [entity, key, afterId ?? '0', limit],
    )) as AuditRow[];
    return rows.map(toEntry);
  }

  /** Audit rows after `afterId` of every record, for the change relay. */
  async after(manager: EntityManager, afterId: string, limit: number): Promise<AuditEntry[]> {
    const rows = (await manager.query(
      `SELECT * FROM md_audit_log WHERE id > $1::bigint ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as AuditRow[];
    return rows.map(toEntry);
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    changeId: row.change_id,
    entity: row.entity,
    key: row.entity_key,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    sourceSystem: row.source_system,
    path: row.path,
    channelId: row.channel_id,
    proposalId: row.proposal_id,
    correlationId: row.correlation_id,
    recordedAt: row.recorded_at,
  };
}
