import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../../../../config/index.js';
import { ErpChangeTrigger, type ErpFeed } from '../../../../platform/erp-changes/index.js';
import { ReadinessRegistry } from '../../../../platform/health/index.js';
import { PinoLogger } from '../../../../platform/logging/index.js';
import { type ErpChangeMarks, ErpChangePoller } from '../../shared/erp-change.poller.js';
import { OnPremErpConnection, type OnPremSql } from '../onprem-erp.connection.js';

/**
 * The ERP tables each feed's delta read looks at (the on-prem feeds' `updated_at` sources; keep
 * in step with them). Deletes of master data, prices, balances and order lines are journalled in
 * sy_deleted_row.
 */
export const ONPREM_FEED_TABLES: Record<ErpFeed, readonly string[]> = {
  'master-data': [
    'ar_customer',
    'ar_ship_to',
    'in_item',
    'in_item_uom',
    'in_item_substitute',
    'in_warehouse',
  ],
  pricing: [
    'pr_price_list',
    'pr_price_list_line',
    'pr_price_break',
    'pr_contract',
    'pr_promotion',
    'pr_promotion_scope',
  ],
  inventory: ['in_balance'],
  // Posted shipments and invoices (ShipmentFeed, InvoiceFeed): written once, header and lines.
  fulfillment: ['sh_shipment_header', 'sh_shipment_line', 'ar_invoice_header', 'ar_invoice_line'],
  // ERP-side changes of orders (SalesOrderChangeFeed); line deletes are journalled.
  'order-changes': ['so_order_header', 'so_order_line'],
};

const TABLES = Object.values(ONPREM_FEED_TABLES).flat();
const FEED_OF_TABLE = new Map(
  (Object.entries(ONPREM_FEED_TABLES) as [ErpFeed, readonly string[]][]).flatMap(([feed, tables]) =>
    tables.map((t) => [t, feed] as const),
  ),
);

/**
 * Per table: the latest `updated_at` (a backward step on its `(updated_at, key)` delta index) and
 * PostgreSQL's count of rows written to it. The counter moves when a transaction commits, so it
 * also catches a row that commits late with an `updated_at` older than the latest one; the
 * instant alone still works where table statistics are off.
 */
const MARKS_SQL = `
  SELECT s.relname AS table_name,
         (s.n_tup_ins + s.n_tup_upd + s.n_tup_del)::text AS writes,
         m.latest
  FROM pg_stat_user_tables s
  JOIN LATERAL (
    ${TABLES.map(
      (t) => `SELECT '${t}'::text AS t, (SELECT max(updated_at) FROM ${t})::text AS latest`,
    ).join('\n    UNION ALL ')}
  ) m ON m.t = s.relname
  WHERE s.schemaname = current_schema() AND s.relname = ANY($1::text[])`;

/** Deletes journalled lately (the range scan stays small: only the recent part of the index). */
const DELETES_SQL = `
  SELECT table_name, max(updated_at)::text AS latest
  FROM sy_deleted_row
  WHERE updated_at >= now() - interval '1 day' AND table_name = ANY($1::text[])
  GROUP BY table_name`;

export async function readOnPremChangeMarks(sql: OnPremSql): Promise<ErpChangeMarks> {
  const rows = await sql.query<{ table_name: string; writes: string; latest: string | null }>(
    MARKS_SQL,
    [TABLES],
  );
  const deletes = await sql.query<{ table_name: string; latest: string }>(DELETES_SQL, [TABLES]);
  const marks: ErpChangeMarks = {};
  for (const r of rows) marks[r.table_name] = `${r.latest ?? '-'}#${r.writes}`;
  for (const d of deletes) marks[d.table_name] = `${marks[d.table_name] ?? ''}~${d.latest}`;
  return marks;
}

/**
 * On-prem: every ERP_CHANGE_POLL_SECONDS one short read-only query of the ERP database (the
 * feeds' tables' latest updated_at and write counters); a feed whose tables moved gets a delta
 * sync at once instead of at its next schedule.
 */
@Injectable()
export class OnPremChangePoller
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  readonly poller: ErpChangePoller | null;

  constructor(
    connection: OnPremErpConnection,
    trigger: ErpChangeTrigger,
    private readonly config: AppConfig,
    logger: PinoLogger,
    private readonly readiness: ReadinessRegistry,
  ) {
    logger.setContext(OnPremChangePoller.name);
    const seconds = config.erpChanges.pollSeconds;
    this.poller =
      seconds && config.jobsEnabled && connection.database !== null
        ? new ErpChangePoller({
            intervalSeconds: seconds,
            probe: () => connection.read(readOnPremChangeMarks),
            feedsOf: (table) => {
              const feed = FEED_OF_TABLE.get(table);
              return feed ? [feed] : [];
            },
            trigger,
            source: 'onprem-poll',
            logger,
          })
        : null;
  }

  onModuleInit(): void {
    // How ERP changes reach the hub between schedules, for /health/ready.
    this.readiness.register('erpChanges', () =>
      Promise.resolve({
        up: true,
        details: this.poller
          ? {
              mode: 'polling',
              pollSeconds: this.config.erpChanges.pollSeconds,
              poll: this.poller.stats,
            }
          : { mode: 'schedules only', reason: 'ERP_CHANGE_POLL_SECONDS=0 or jobs disabled' },
      }),
    );
  }

  onApplicationBootstrap(): void {
    this.poller?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.poller?.stop();
  }
}
