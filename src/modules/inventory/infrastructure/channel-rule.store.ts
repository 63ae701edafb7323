import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BufferType, ChannelAvailabilityRule } from '../domain/channel-rule.js';
import { formatQuantity } from '../domain/quantity.js';
import { queryRows } from './sql.js';

interface RuleRow {
  warehouses: string[] | null;
  buffer_type: BufferType;
  buffer_value: string;
}

/** inv_channel_rule: a channel's own availability rule. */
@Injectable()
export class ChannelRuleStore {
  async find(manager: EntityManager, channelId: string): Promise<ChannelAvailabilityRule | null> {
    const [row] = await queryRows<RuleRow>(
      manager,
      `SELECT warehouses, buffer_type, buffer_value FROM inv_channel_rule WHERE channel_id = $1`,
      [channelId],
    );
    return row
      ? {
          warehouses: row.warehouses,
          buffer: { type: row.buffer_type, value: formatQuantity(row.buffer_value) },
        }
      : null;
  }

  async save(
    manager: EntityManager,
    channelId: string,
    rule: ChannelAvailabilityRule,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO inv_channel_rule (channel_id, warehouses, buffer_type, buffer_value)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_id) DO UPDATE SET warehouses = EXCLUDED.warehouses,
         buffer_type = EXCLUDED.buffer_type, buffer_value = EXCLUDED.buffer_value,
         updated_at = clock_timestamp()`,
      [channelId, rule.warehouses, rule.buffer.type, rule.buffer.value],
    );
  }

  /** Back to the kind's default; true when there was a rule. */
  async remove(manager: EntityManager, channelId: string): Promise<boolean> {
    const rows = await queryRows<{ channel_id: string }>(
      manager,
      `WITH gone AS (DELETE FROM inv_channel_rule WHERE channel_id = $1 RETURNING channel_id)
       SELECT channel_id FROM gone`,
      [channelId],
    );
    return rows.length > 0;
  }
}
