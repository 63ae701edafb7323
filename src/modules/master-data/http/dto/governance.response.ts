import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEntry } from '../../domain/audit-entry.js';
import { AUDIT_PATHS, type AuditPath } from '../../domain/audit-entry.js';
import type { FieldOutcome } from '../../domain/customer-update.js';
import type { FieldValue } from '../../domain/field-state.js';
import {
  PROPOSAL_ENTITIES,
  PROPOSAL_STATUSES,
  type ProposalEntity,
  type ProposalStatus,
  type StewardshipProposal,
} from '../../domain/stewardship-proposal.js';
import {
  CONFLICT_RULES,
  type ConflictRule,
  SOURCE_SYSTEMS,
  type SystemOfRecord,
} from '../../domain/system-of-record.js';
import { CustomerResponse } from './customer.response.js';

const RESULTS = ['applied', 'rejected', 'queued', 'ignored'] as const;
/** Any JSON value, or null: a field's value in the audit trail. */
const JSON_VALUE = [
  { type: 'string', nullable: true },
  { type: 'number', nullable: true },
  { type: 'boolean', nullable: true },
  { type: 'array', items: {}, nullable: true },
  { type: 'object', nullable: true },
];

/** The API names the customer's parent `parentId`; the domain `parentErpId`. */
export const apiFieldName = (field: string): string =>
  field === 'parentErpId' ? 'parentId' : field;

export class FieldOutcomeResponse {
  @ApiProperty({ example: 'creditLimit' })
  field: string;

  @ApiProperty({
    enum: RESULTS,
    description:
      'applied: stored; rejected: the caller does not own the field (code FIELD_NOT_OWNED); ' +
      'queued: waiting for a data steward (proposalId); ignored: older than the stored value ' +
      '(code STALE_UPDATE, accept-latest)',
    example: 'rejected',
  })
  result: (typeof RESULTS)[number];

  @ApiPropertyOptional({ enum: ['FIELD_NOT_OWNED', 'STALE_UPDATE'], example: 'FIELD_NOT_OWNED' })
  code?: string;

  @ApiPropertyOptional({
    enum: SOURCE_SYSTEMS,
    description: 'The owner (rejected)',
    example: 'erp',
  })
  owner?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '4b8f0c7e-1f2a-4c3d-9e8f-0a1b2c3d4e5f' })
  proposalId?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-05-13T10:15:30.123Z' })
  storedSourceUpdatedAt?: string;

  @ApiPropertyOptional({
    example: 'creditLimit of a customer is owned by erp; crm may not change it',
  })
  message?: string;

  static from(o: FieldOutcome): FieldOutcomeResponse {
    return { ...o, field: apiFieldName(o.field) };
  }
}

export class GovernedChangeResponse {
  @ApiProperty({
    description: 'One entry per field sent, saying what happened to it',
    type: [FieldOutcomeResponse],
  })
  fields: FieldOutcomeResponse[];

  @ApiProperty({
    description: 'The stewardship proposal holding the queued fields (then the status is 202)',
    nullable: true,
    type: String,
    format: 'uuid',
    example: null,
  })
  proposalId: string | null;

  @ApiProperty({ type: CustomerResponse, description: 'The customer as stored after this request' })
  customer: CustomerResponse;
}

export class HistoryEntryResponse {
  @ApiProperty({ description: 'Audit id, increasing in commit order', example: '1042' })
  id: string;

  @ApiProperty({
    description: 'Shared by the fields changed together',
    format: 'uuid',
    example: '9d2f5a8e-6c1b-4e7a-8f3d-2b1c0a9e8d7f',
  })
  changeId: string;

  @ApiProperty({ description: 'Field name; a ship-to is `shipTos[CODE]`', example: 'phone' })
  field: string;

  @ApiProperty({
    description: 'JSON value before (null: not set)',
    anyOf: JSON_VALUE,
    example: '+1 614 555 0100',
  })
  oldValue: FieldValue;

  @ApiProperty({
    description: 'JSON value after (null: cleared / removed)',
    anyOf: JSON_VALUE,
    example: '+1 614 555 0199',
  })
  newValue: FieldValue;

  @ApiProperty({ enum: SOURCE_SYSTEMS, example: 'crm' })
  sourceSystem: string;

  @ApiProperty({ enum: AUDIT_PATHS, example: 'channel-update' })
  path: AuditPath;

  @ApiProperty({ nullable: true, type: String, example: '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f' })
  channelId: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', example: null })
  proposalId: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'req-5f2c9a' })
  correlationId: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:17:02.456Z' })
  recordedAt: string;

  static from(e: AuditEntry): HistoryEntryResponse {
    return {
      id: e.id,
      changeId: e.changeId,
      field: e.field,
      oldValue: e.oldValue,
      newValue: e.newValue,
      sourceSystem: e.sourceSystem,
      path: e.path,
      channelId: e.channelId,
      proposalId: e.proposalId,
      correlationId: e.correlationId,
      recordedAt: e.recordedAt.toISOString(),
    };
  }
}

export class HistoryPageResponse {
  @ApiProperty({ type: [HistoryEntryResponse], description: 'Oldest first' })
  items: HistoryEntryResponse[];

  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor: string | null;
}

export class ProposalResponse {
  @ApiProperty({ format: 'uuid', example: '4b8f0c7e-1f2a-4c3d-9e8f-0a1b2c3d4e5f' })
  id: string;

  @ApiProperty({ enum: PROPOSAL_ENTITIES, example: 'ship-to' })
  entity: ProposalEntity;

  @ApiProperty({ example: 'C10001' })
  customerId: string;

  @ApiProperty({ nullable: true, type: String, example: 'DOCK-7' })
  shipToCode: string | null;

  @ApiProperty({
    description: 'Field → proposed value',
    type: 'object',
    additionalProperties: true,
    example: { name: 'Acme Hardware, Dock 7', city: 'Toledo' },
  })
  changes: Record<string, FieldValue>;

  @ApiProperty({ enum: SOURCE_SYSTEMS, example: 'crm' })
  sourceSystem: string;

  @ApiProperty({ nullable: true, type: String, example: '7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f' })
  channelId: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:30.123Z' })
  sourceUpdatedAt: string;

  @ApiProperty({ enum: PROPOSAL_STATUSES, example: 'pending' })
  status: ProposalStatus;

  @ApiProperty({ nullable: true, type: String, example: null })
  reason: string | null;

  @ApiProperty({
    description: 'Channel id of the steward who decided',
    nullable: true,
    type: String,
    example: null,
  })
  decidedBy: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:31.002Z' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  decidedAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'req-5f2c9a' })
  correlationId: string | null;

  static from(p: StewardshipProposal): ProposalResponse {
    return {
      id: p.id,
      entity: p.entity,
      customerId: p.customerErpId,
      shipToCode: p.shipToCode,
      changes: Object.fromEntries(Object.entries(p.changes).map(([k, v]) => [apiFieldName(k), v])),
      sourceSystem: p.sourceSystem,
      channelId: p.channelId,
      sourceUpdatedAt: p.sourceUpdatedAt.toISOString(),
      status: p.status,
      reason: p.reason,
      decidedBy: p.decidedBy,
      createdAt: p.createdAt.toISOString(),
      decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
      correlationId: p.correlationId,
    };
  }
}

export class ProposalPageResponse {
  @ApiProperty({ type: [ProposalResponse], description: 'Oldest first' })
  items: ProposalResponse[];

  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor: string | null;
}

export class FieldOwnershipResponse {
  @ApiProperty({ enum: SOURCE_SYSTEMS, example: 'erp' })
  owner: string;

  @ApiProperty({ enum: SOURCE_SYSTEMS, isArray: true, example: ['crm'] })
  updaters: string[];

  @ApiProperty({ enum: CONFLICT_RULES, example: 'steward' })
  rule: ConflictRule;

  @ApiProperty({ description: 'Accepted changes are written back to the ERP', example: true })
  erpWriteBack: boolean;
}

export class OwnershipResponse {
  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({
    description:
      'Entity → field → ownership (customer, ship-to, item, warehouse, price-data, inventory)',
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/FieldOwnershipResponse' },
    },
    example: {
      customer: {
        creditLimit: { owner: 'erp', updaters: [], rule: 'reject', erpWriteBack: false },
        phone: { owner: 'crm', updaters: [], rule: 'accept-latest', erpWriteBack: true },
      },
    },
  })
  entities: Record<string, Record<string, FieldOwnershipResponse>>;

  static from(matrix: SystemOfRecord): OwnershipResponse {
    return { version: matrix.version, entities: matrix.entities };
  }
}

export { CustomerResponse };
