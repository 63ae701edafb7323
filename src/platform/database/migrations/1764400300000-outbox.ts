import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (src/platform/outbox). `available_at` delays publication (a coalescing
 * window); `coalescing` rows are unique per (type, key) while unpublished, so a burst merges into
 * one event. Published rows stay for a retention period, then a job deletes them.
 */
export class Outbox1764400300000 implements MigrationInterface {
  name = 'Outbox1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_event (
        id bigserial PRIMARY KEY,
        type text NOT NULL,
        key text,
        payload jsonb NOT NULL,
        correlation_id text,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        available_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        coalescing boolean NOT NULL DEFAULT false,
        published_at timestamptz,
        CHECK (NOT coalescing OR key IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX outbox_event_pending_idx ON outbox_event (id) WHERE published_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX outbox_event_due_idx ON outbox_event (available_at) WHERE published_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX outbox_event_coalesce_uq ON outbox_event (type, key)
         WHERE published_at IS NULL AND coalescing`,
    );
    await q.query(
      `CREATE INDEX outbox_event_published_idx ON outbox_event (published_at)
         WHERE published_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_event`);
  }
}
