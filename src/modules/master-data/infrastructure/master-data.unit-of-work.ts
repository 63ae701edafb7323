import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Customer } from '../domain/customer.js';
import { customerState, diffState, type FieldChange } from '../domain/field-state.js';
import type {
  ProposalEntity,
  ProposalStatus,
  StewardshipProposal,
} from '../domain/stewardship-proposal.js';
import type { GovernedEntity, SourceSystem } from '../domain/system-of-record.js';
import { type AuditContext, AuditLog } from './audit-log.js';
import { CustomerMapper } from './customer.mapper.js';
import { CustomerOrmEntity, ShipToOrmEntity } from './customer.orm-entity.js';
import { FieldVersions } from './field-versions.js';
import { loadRecords } from './master-data-records.js';

interface ProposalRow {
  id: string;
  entity: ProposalEntity;
  customer_erp_id: string;
  ship_to_code: string | null;
  changes: StewardshipProposal['changes'];
  source_system: string;
  channel_id: string | null;
  source_updated_at: Date;
  status: ProposalStatus;
  reason: string | null;
  decided_by: string | null;
  created_at: Date;
  decided_at: Date | null;
  correlation_id: string | null;
}

export const toProposal = (row: ProposalRow): StewardshipProposal => ({
  id: row.id,
  entity: row.entity,
  customerErpId: row.customer_erp_id,
  shipToCode: row.ship_to_code,
  changes: row.changes,
  sourceSystem: row.source_system,
  channelId: row.channel_id,
  sourceUpdatedAt: row.source_updated_at,
  status: row.status,
  reason: row.reason,
  decidedBy: row.decided_by,
  createdAt: row.created_at,
  decidedAt: row.decided_at,
  correlationId: row.correlation_id,
});

/**
 * One governed write to master data from outside the sync (a channel update, a steward's
 * decision): one transaction that takes md_change_clock first (as the sync does, so writers never
 * deadlock and audit ids follow commit order), then locks what it changes.
 */
export class MasterDataTransaction {
  constructor(
    readonly manager: EntityManager,
    private readonly changeSeq: string,
    private readonly audit: AuditLog,
  ) {}

  async lockCustomer(erpId: string): Promise<Customer | null> {
    const found = await loadRecords(this.manager, 'customers', [erpId], { lock: true });
    return found.get(erpId) ?? null;
  }

  async fieldVersions(entity: GovernedEntity, key: string): Promise<Map<string, Date>> {
    return (await FieldVersions.read(this.manager, entity, [key])).get(key) ?? new Map();
  }

  writeFieldVersions(
    entity: GovernedEntity,
    key: string,
    fields: string[],
    source: SourceSystem,
    at: Date,
  ): Promise<void> {
    return FieldVersions.write(this.manager, entity, key, fields, source, at);
  }

  /**
   * Stores `after` over `before` and audits the difference, as read back from the tables (so the
   * trail holds what is stored, numeric scale included). Returns the changes.
   */
  async writeCustomer(
    before: Customer,
    after: Customer,
    context: AuditContext,
  ): Promise<FieldChange[]> {
    await this.manager.update(CustomerOrmEntity, after.erpId, {
      name: after.name,
      parentErpId: after.parentErpId,
      status: after.status,
      creditLimit: after.creditLimit,
      balanceDue: after.balanceDue,
      paymentTerms: after.paymentTerms,
      currency: after.currency,
      taxAreaCode: after.taxAreaCode,
      taxExemptionNumber: after.taxExemptionNumber,
      taxLiable: after.taxLiable,
      email: after.email,
      phone: after.phone,
      website: after.website,
      addressLines: after.address?.addressLines ?? null,
      city: after.address?.city ?? null,
      region: after.address?.region ?? null,
      postalCode: after.address?.postalCode ?? null,
      country: after.address?.country ?? null,
      syncedAt: new Date(),
      changeSeq: this.changeSeq,
    });
    await this.manager.delete(ShipToOrmEntity, { customerErpId: after.erpId });
    const shipTos = CustomerMapper.toShipToRows(after).map((r) =>
      this.manager.create(ShipToOrmEntity, {
        customerErpId: r.customer_erp_id as string,
        code: r.code as string,
        position: r.position as number,
        name: r.name as string,
        addressLines: r.address_lines as string[],
        city: r.city as string,
        region: r.region as string | null,
        postalCode: r.postal_code as string | null,
        country: r.country as string,
        defaultWarehouseCode: r.default_warehouse_code as string | null,
        taxAreaCode: r.tax_area_code as string | null,
      }),
    );
    if (shipTos.length > 0) await this.manager.insert(ShipToOrmEntity, shipTos);
    const stored = (
      await loadRecords(this.manager, 'customers', [after.erpId], { lock: false })
    ).get(after.erpId);
    const changes = diffState(customerState(before), stored ? customerState(stored) : null);
    await this.audit.append(this.manager, 'customer', after.erpId, changes, context);
    return changes;
  }

  async insertProposal(
    proposal: Omit<
      StewardshipProposal,
      'status' | 'reason' | 'decidedBy' | 'createdAt' | 'decidedAt'
    >,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO md_stewardship_proposal (id, entity, customer_erp_id, ship_to_code, changes,
         source_system, channel_id, source_updated_at, status, correlation_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'pending', $9)`,
      [
        proposal.id,
        proposal.entity,
        proposal.customerErpId,
        proposal.shipToCode,
        JSON.stringify(proposal.changes),
        proposal.sourceSystem,
        proposal.channelId,
        proposal.sourceUpdatedAt,
        proposal.correlationId,
      ],
    );
  }

  async lockProposal(id: string): Promise<StewardshipProposal | null> {
    const rows = (await this.manager.query(
      `SELECT * FROM md_stewardship_proposal WHERE id = $1 FOR UPDATE`,
      [id],
    )) as ProposalRow[];
    return rows[0] ? toProposal(rows[0]) : null;
  }

  async decideProposal(
    id: string,
    status: Exclude<ProposalStatus, 'pending'>,
    reason: string,
    decidedBy: string,
  ): Promise<StewardshipProposal> {
    const rows = (await this.manager.query(
      `UPDATE md_stewardship_proposal
       SET status = $2, reason = $3, decided_by = $4, decided_at = clock_timestamp()
       WHERE id = $1 RETURNING *`,
      [id, status, reason, decidedBy],
    )) as [ProposalRow[], number];
    return toProposal(rows[0][0]);
  }
}

@Injectable()
export class MasterDataUnitOfWork {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  run<T>(work: (tx: MasterDataTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const [clock] = (await manager.query(
        `UPDATE md_change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq`,
      )) as [{ seq: string }[], number];
      return work(new MasterDataTransaction(manager, clock[0].seq, this.audit));
    });
  }
}
