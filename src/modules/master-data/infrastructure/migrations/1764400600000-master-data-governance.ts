import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Master-data governance: the append-only audit trail of every field change (from any path), the
 * source timestamps behind accept-latest decisions, the data stewards' queue of proposals, and
 * the position of the relay that publishes audited changes as events.
 *
 * Writers take md_change_clock before they insert audit rows, so audit ids grow in commit order
 * and the relay can follow them by id without skipping a late-committing row.
 */
export class MasterDataGovernance1764400600000 implements MigrationInterface {
  name = 'MasterDataGovernance1764400600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE md_audit_log (
        id bigserial PRIMARY KEY,
        change_id uuid NOT NULL,
        entity text NOT NULL CHECK (entity IN ('customer','item','warehouse')),
        entity_key text COLLATE "C" NOT NULL,
        field text NOT NULL,
        old_value jsonb NOT NULL,
        new_value jsonb NOT NULL,
        source_system text NOT NULL,
        path text NOT NULL CHECK (path IN ('erp-sync','channel-update','steward-approval')),
        channel_id text,
        proposal_id uuid,
        correlation_id text,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX md_audit_log_record_idx ON md_audit_log (entity, entity_key, id)`);
    await q.query(`
      CREATE FUNCTION md_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'md_audit_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER md_audit_log_no_change BEFORE UPDATE OR DELETE ON md_audit_log
      FOR EACH ROW EXECUTE FUNCTION md_audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER md_audit_log_no_truncate BEFORE TRUNCATE ON md_audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION md_audit_log_append_only()`);

    await q.query(`
      CREATE TABLE md_field_version (
        entity text NOT NULL,
        entity_key text COLLATE "C" NOT NULL,
        field text NOT NULL,
        source_system text NOT NULL,
        source_updated_at timestamptz NOT NULL,
        PRIMARY KEY (entity, entity_key, field)
      )`);

    await q.query(`
      CREATE TABLE md_stewardship_proposal (
        id uuid PRIMARY KEY,
        entity text NOT NULL CHECK (entity IN ('customer','ship-to')),
        customer_erp_id text COLLATE "C" NOT NULL,
        ship_to_code text COLLATE "C",
        changes jsonb NOT NULL,
        source_system text NOT NULL,
        channel_id text,
        source_updated_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','approved','rejected')),
        reason text,
        decided_by text,
        -- Milliseconds, as the list cursor carries them.
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        decided_at timestamptz,
        correlation_id text
      )`);
    await q.query(
      `CREATE INDEX md_stewardship_list_idx ON md_stewardship_proposal (created_at, id)`,
    );
    await q.query(
      `CREATE INDEX md_stewardship_status_idx ON md_stewardship_proposal (status, created_at, id)`,
    );

    await q.query(`
      CREATE TABLE md_change_relay (
        id smallint PRIMARY KEY CHECK (id = 1),
        last_audit_id bigint NOT NULL
      )`);
    await q.query(`INSERT INTO md_change_relay (id, last_audit_id) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE md_change_relay`);
    await q.query(`DROP TABLE md_stewardship_proposal`);
    await q.query(`DROP TABLE md_field_version`);
    await q.query(`DROP TABLE md_audit_log`);
    await q.query(`DROP FUNCTION md_audit_log_append_only()`);
  }
}
