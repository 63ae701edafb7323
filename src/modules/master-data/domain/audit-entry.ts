import type { AuditedEntity, FieldValue } from './field-state.js';

/** How a change reached master data. */
export const AUDIT_PATHS = ['erp-sync', 'channel-update', 'steward-approval'] as const;
export type AuditPath = (typeof AUDIT_PATHS)[number];

/** One field change in the audit trail. */
export interface AuditEntry {
  /** Increasing in commit order. */
  id: string;
  /** Shared by the fields of one record changed by one write. */
  changeId: string;
  entity: AuditedEntity;
  key: string;
  field: string;
  oldValue: FieldValue;
  newValue: FieldValue;
  sourceSystem: string;
  path: AuditPath;
  channelId: string | null;
  proposalId: string | null;
  correlationId: string | null;
  recordedAt: Date;
}
