import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Platform tables: channels and their API keys, idempotency records, operations exceptions. */
export class Platform1764400000000 implements MigrationInterface {
  name = 'Platform1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('ecommerce','marketplace','edi','crm','wms','supplier','operations')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended')),
        rate_limit_per_minute integer CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel_id uuid NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_key_channel_idx ON api_key (channel_id)`);
    await q.query(`
      CREATE TABLE idempotency_record (
        channel_id uuid NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        fingerprint text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight','completed')),
        response_status integer,
        response_headers jsonb,
        response_body text,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        locked_until timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (channel_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX idempotency_record_expires_idx ON idempotency_record (expires_at)`);
    await q.query(`
      CREATE TABLE ops_exception (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','replayed','discarded','resolved')),
        source text NOT NULL,
        reference text,
        channel_id uuid REFERENCES channel(id) ON DELETE SET NULL,
        payload jsonb,
        error jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        correlation_id text,
        first_failed_at timestamptz NOT NULL DEFAULT now(),
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ops_exception_list_idx ON ops_exception (status, type, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ops_exception`);
    await q.query(`DROP TABLE idempotency_record`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE channel`);
  }
}
