import type { AuditPath } from '../../domain/audit-entry.js';
import type { FieldChange } from '../../domain/field-state.js';

/** Who changed a record, how, and what: the common body of the master-data change events. */
export interface MasterDataChange {
  changeId: string;
  sourceSystem: string;
  path: AuditPath;
  channelId: string | null;
  correlationId: string | null;
  changes: FieldChange[];
  occurredAt: Date;
}

/** A customer (or one of its ship-tos) changed in the hub; published from the audit trail. */
export class CustomerChanged {
  constructor(
    readonly erpId: string,
    readonly change: MasterDataChange,
  ) {}
}
