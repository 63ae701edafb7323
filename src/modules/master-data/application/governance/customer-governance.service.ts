import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CustomerScope } from '../../../../platform/auth/index.js';
import { CorrelationContext } from '../../../../platform/correlation/index.js';
import type { AuditPath } from '../../domain/audit-entry.js';
import {
  type CustomerFields,
  type FieldOutcome,
  planUpdate,
  queueWholeShipTo,
  type ShipToFields,
  type UpdatePlan,
  withProposalId,
} from '../../domain/customer-update.js';
import { checkCustomer, type Customer, type ShipTo } from '../../domain/customer.js';
import {
  customerState,
  diffState,
  type FieldChange,
  shipToCodeOf,
} from '../../domain/field-state.js';
import type { StewardshipProposal } from '../../domain/stewardship-proposal.js';
import type { Synced } from '../../domain/synced.js';
import { CustomerRepository } from '../../infrastructure/customer.repository.js';
import { HUB_FIELDS, type SourceSystem } from '../../domain/system-of-record.js';
import {
  type MasterDataTransaction,
  MasterDataUnitOfWork,
} from '../../infrastructure/master-data.unit-of-work.js';
import { SystemOfRecordMatrix } from '../../infrastructure/system-of-record.loader.js';
import { MasterDataErrors } from '../master-data.errors.js';
import { CustomerAccess } from '../customer-access/customer-access.js';
import { ChangeRelayJob } from './change-relay.job.js';
import { ErpWriteBackJob } from './erp-write-back.job.js';
import { GovernanceErrors } from './governance.errors.js';

/** Who is writing: a channel (its kind is the source system) and when the source changed it. */
export interface ChangeOrigin {
  sourceSystem: SourceSystem;
  channelId: string;
  /** When the source changed the data; absent = the time of the request. */
  sourceUpdatedAt?: Date;
  /** The channel's customer scope: outside it the customer is "not found". */
  customerScope?: CustomerScope;
}

export interface GovernedChangeResult {
  /** The customer as stored once the change committed. */
  customer: Synced<Customer>;
  outcomes: FieldOutcome[];
  /** Set when any field was queued for a steward. */
  proposalId: string | null;
}

interface Applied {
  sourceSystem: string;
  channelId: string | null;
  proposalId: string | null;
  path: AuditPath;
}

const SHIP_TO_DEFAULTS: ShipToFields = {
  name: '',
  addressLines: [],
  city: '',
  region: null,
  postalCode: null,
  country: '',
  defaultWarehouseCode: null,
  taxAreaCode: null,
};

/**
 * Governed writes to customers from channels and data stewards. Every write is decided field by
 * field under the system-of-record matrix and goes through one path, apply(): store, audit (same
 * transaction), write back to the ERP where it keeps the field too (job, same transaction); the
 * change relay then publishes CustomerChanged.
 */
@Injectable()
export class CustomerGovernanceService {
  constructor(
    private readonly uow: MasterDataUnitOfWork,
    private readonly matrix: SystemOfRecordMatrix,
    private readonly writeBack: ErpWriteBackJob,
    private readonly relay: ChangeRelayJob,
    private readonly customers: CustomerRepository,
    private readonly access: CustomerAccess,
  ) {}

  async updateCustomer(
    erpId: string,
    changes: Partial<CustomerFields>,
    origin: ChangeOrigin,
  ): Promise<GovernedChangeResult> {
    await this.access.require(erpId, origin.customerScope);
    const sent = Object.entries(changes).filter(
      ([field, value]) => value !== undefined && HUB_FIELDS.customer?.includes(field),
    );
    if (sent.length === 0) throw GovernanceErrors.noFields();
    const sourceAt = origin.sourceUpdatedAt ?? new Date();
    const result = await this.uow.run(async (tx) => {
      const before = await this.lockCustomer(tx, erpId);
      const versions = await tx.fieldVersions('customer', erpId);
      const plan = planUpdate<CustomerFields>(
        this.matrix.matrix,
        'customer',
        origin.sourceSystem,
        sourceAt,
        Object.fromEntries(sent) as Partial<CustomerFields>,
        (key) => versions.get(key) ?? null,
      );
      refuseWhenNothingAccepted(plan);
      // Checked with the queued values too: a steward is never asked to approve an invalid record.
      const proposed = check({ ...before, ...plan.apply, ...plan.queue });
      const after = { ...before, ...pick(proposed, plan.apply) };
      await this.apply(tx, before, after, {
        sourceSystem: origin.sourceSystem,
        channelId: origin.channelId,
        proposalId: null,
        path: 'channel-update',
      });
      await tx.writeFieldVersions(
        'customer',
        erpId,
        plan.acceptedLatest,
        origin.sourceSystem,
        sourceAt,
      );
      const proposalId = await this.propose(tx, plan, origin, sourceAt, {
        entity: 'customer',
        customerErpId: erpId,
        shipToCode: null,
        changes: pick(proposed, plan.queue),
      });
      return { outcomes: withProposalId(plan.outcomes, proposalId ?? ''), proposalId };
    });
    await this.relay.kick();
    return { ...result, customer: await this.reload(erpId) };
  }

  /** Adds a ship-to, or changes one the customer has (by code), under the matrix. */
  async changeShipTo(
    erpId: string,
    shipTo: ShipTo,
    origin: ChangeOrigin,
  ): Promise<GovernedChangeResult> {
    await this.access.require(erpId, origin.customerScope);
    const sourceAt = origin.sourceUpdatedAt ?? new Date();
    const { code, ...fields } = shipTo;
    const result = await this.uow.run(async (tx) => {
      const before = await this.lockCustomer(tx, erpId);
      const held = before.shipTos.find((s) => s.code === code);
      const versions = await tx.fieldVersions('customer', erpId);
      let plan = planUpdate<ShipToFields>(
        this.matrix.matrix,
        'ship-to',
        origin.sourceSystem,
        sourceAt,
        fields,
        (key) => versions.get(key) ?? null,
        code,
      );
      if (!held) plan = queueWholeShipTo(plan);
      refuseWhenNothingAccepted(plan);
      const base: ShipTo = held ?? { ...SHIP_TO_DEFAULTS, code };
      const proposed = check(withShipTo(before, { ...base, ...plan.apply, ...plan.queue }));
      const proposedShipTo = proposed.shipTos.find((s) => s.code === code) as ShipTo;
      const after =
        Object.keys(plan.apply).length > 0
          ? withShipTo(before, { ...base, ...pick(proposedShipTo, plan.apply) })
          : before;
      await this.apply(tx, before, after, {
        sourceSystem: origin.sourceSystem,
        channelId: origin.channelId,
        proposalId: null,
        path: 'channel-update',
      });
      await tx.writeFieldVersions(
        'customer',
        erpId,
        plan.acceptedLatest,
        origin.sourceSystem,
        sourceAt,
      );
      const proposalId = await this.propose(tx, plan, origin, sourceAt, {
        entity: 'ship-to',
        customerErpId: erpId,
        shipToCode: code,
        changes: pick(proposedShipTo, plan.queue),
      });
      return { outcomes: withProposalId(plan.outcomes, proposalId ?? ''), proposalId };
    });
    await this.relay.kick();
    return { ...result, customer: await this.reload(erpId) };
  }

  /** A steward's approval: the proposed change is applied through the same path as any update. */
  async approve(
    id: string,
    reason: string,
    stewardChannelId: string,
  ): Promise<StewardshipProposal> {
    const decided = await this.uow.run(async (tx) => {
      const proposal = await this.lockPending(tx, id);
      const before = await this.lockCustomer(tx, proposal.customerErpId);
      let target: Customer;
      if (proposal.entity === 'customer') {
        target = { ...before, ...(proposal.changes as Partial<CustomerFields>) };
      } else {
        const code = proposal.shipToCode as string;
        const held = before.shipTos.find((s) => s.code === code) ?? {
          ...SHIP_TO_DEFAULTS,
          code,
        };
        target = withShipTo(before, { ...held, ...(proposal.changes as Partial<ShipToFields>) });
      }
      // The record may have changed since the proposal: check the result again.
      const after = check(target);
      await this.apply(tx, before, after, {
        sourceSystem: proposal.sourceSystem,
        channelId: proposal.channelId,
        proposalId: proposal.id,
        path: 'steward-approval',
      });
      return tx.decideProposal(id, 'approved', reason, stewardChannelId);
    });
    await this.relay.kick();
    return decided;
  }

  async reject(id: string, reason: string, stewardChannelId: string): Promise<StewardshipProposal> {
    return this.uow.run(async (tx) => {
      await this.lockPending(tx, id);
      return tx.decideProposal(id, 'rejected', reason, stewardChannelId);
    });
  }

  /**
   * The one write path of governed changes: store and audit `after`, then queue the ERP
   * write-back of what changed in fields the ERP keeps too (unless the ERP itself is the source).
   */
  private async apply(
    tx: MasterDataTransaction,
    before: Customer,
    after: Customer,
    applied: Applied,
  ): Promise<FieldChange[]> {
    if (diffState(customerState(before), customerState(after)).length === 0) return [];
    const changes = await tx.writeCustomer(before, after, {
      sourceSystem: applied.sourceSystem as SourceSystem,
      path: applied.path,
      channelId: applied.channelId,
      proposalId: applied.proposalId,
      correlationId: CorrelationContext.current() ?? null,
    });
    if (applied.sourceSystem === 'erp' || changes.length === 0) return changes;
    const requestId = applied.proposalId ?? randomUUID();
    const fields: Partial<CustomerFields> = {};
    for (const change of changes) {
      const shipToCode = shipToCodeOf(change.field);
      if (shipToCode !== null) {
        const shipTo = after.shipTos.find((s) => s.code === shipToCode);
        if (shipTo && this.writesBackShipTo()) {
          await this.writeBack.enqueue(tx.manager, {
            kind: 'ship-to',
            customerErpId: after.erpId,
            shipTo,
            requestId: `${requestId}:${shipToCode}`,
          });
        }
      } else if (this.matrix.field('customer', change.field).erpWriteBack) {
        (fields as Record<string, unknown>)[change.field] = after[change.field as keyof Customer];
      }
    }
    if (Object.keys(fields).length > 0) {
      await this.writeBack.enqueue(tx.manager, {
        kind: 'customer-fields',
        customerErpId: after.erpId,
        fields,
        requestId,
      });
    }
    return changes;
  }

  private writesBackShipTo(): boolean {
    return Object.values(this.matrix.matrix.entities['ship-to']).some((f) => f.erpWriteBack);
  }

  private async propose<T>(
    tx: MasterDataTransaction,
    plan: UpdatePlan<T>,
    origin: ChangeOrigin,
    sourceAt: Date,
    proposal: Pick<StewardshipProposal, 'entity' | 'customerErpId' | 'shipToCode' | 'changes'>,
  ): Promise<string | null> {
    if (Object.keys(plan.queue).length === 0) return null;
    const id = randomUUID();
    await tx.insertProposal({
      id,
      ...proposal,
      sourceSystem: origin.sourceSystem,
      channelId: origin.channelId,
      sourceUpdatedAt: sourceAt,
      correlationId: CorrelationContext.current() ?? null,
    });
    return id;
  }

  private async reload(erpId: string): Promise<Synced<Customer>> {
    const customer = await this.customers.findByErpId(erpId);
    if (!customer) throw MasterDataErrors.customerNotFound(erpId);
    return customer;
  }

  private async lockCustomer(tx: MasterDataTransaction, erpId: string): Promise<Customer> {
    const customer = await tx.lockCustomer(erpId);
    if (!customer) throw MasterDataErrors.customerNotFound(erpId);
    return customer;
  }

  private async lockPending(tx: MasterDataTransaction, id: string): Promise<StewardshipProposal> {
    const proposal = await tx.lockProposal(id);
    if (!proposal) throw GovernanceErrors.proposalNotFound(id);
    if (proposal.status !== 'pending') throw GovernanceErrors.proposalDecided(id, proposal.status);
    return proposal;
  }
}

function refuseWhenNothingAccepted<T>(plan: UpdatePlan<T>): void {
  if (plan.outcomes.every((o) => o.result === 'rejected')) {
    throw GovernanceErrors.nothingAccepted(plan.outcomes);
  }
}

/** Validates and normalises a customer as the domain does for the ERP's records. */
function check(customer: Customer): Customer {
  const result = checkCustomer(customer);
  if (!result.ok) throw GovernanceErrors.invalidChange(result.problems);
  return result.value;
}

function withShipTo(customer: Customer, shipTo: ShipTo): Customer {
  const held = customer.shipTos.some((s) => s.code === shipTo.code);
  return {
    ...customer,
    shipTos: held
      ? customer.shipTos.map((s) => (s.code === shipTo.code ? shipTo : s))
      : [...customer.shipTos, shipTo],
  };
}

/** The normalised values of the fields present in `keys`. */
function pick<T extends object>(source: T, keys: object): Record<string, never> & Partial<T> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(keys)) result[key] = (source as Record<string, unknown>)[key];
  return result as Record<string, never> & Partial<T>;
}
