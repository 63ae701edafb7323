import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../platform/database/index.js';
import {
  ExceptionsService,
  type RecordExceptionInput,
} from '../../../platform/exceptions/index.js';

/**
 * What the ERP-side order changes keep besides the order itself: the ERP's last known state of
 * each segment, the open posted segments the sweep looks up, and the exceptions for operations,
 * all inside the caller's unit of work.
 */
@Injectable()
export class ErpOrderChangesStore {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly exceptions: ExceptionsService,
  ) {}

  /** When the ERP last changed the segment's order, as the hub has applied it (null: never). */
  async erpModifiedAt(segmentId: string): Promise<Date | null> {
    const [row] = (await this.uow.manager.query(
      `SELECT erp_modified_at FROM ord_segment WHERE id = $1`,
      [segmentId],
    )) as { erp_modified_at: Date | null }[];
    return row?.erp_modified_at ?? null;
  }

  /** Records the ERP's state of the segment's order (never moves erp_modified_at back). */
  async recordErpState(segmentId: string, state: string, modifiedAt: Date): Promise<void> {
    await this.uow.manager.query(
      `UPDATE ord_segment SET erp_state = $2, erp_modified_at = $3, updated_at = now()
        WHERE id = $1 AND (erp_modified_at IS NULL OR erp_modified_at <= $3)`,
      [segmentId, state, modifiedAt],
    );
  }

  /**
   * External references of segments the hub believes open in the ERP (order POSTED or
   * PARTIALLY_SHIPPED, segment POSTED), after `after` in reference order, at most `limit`.
   */
  async openPostedReferences(after: string | null, limit: number): Promise<string[]> {
    const rows = (await this.uow.manager.query(
      `SELECT s.external_reference
         FROM ord_segment s JOIN ord_order o ON o.id = s.order_id
        WHERE s.status = 'POSTED' AND o.status IN ('POSTED', 'PARTIALLY_SHIPPED')
          AND ($1::text IS NULL OR s.external_reference > $1)
        ORDER BY s.external_reference
        LIMIT $2`,
      [after, limit],
    )) as { external_reference: string }[];
    return rows.map((r) => r.external_reference);
  }

  /** Records (or, while still open, updates) an exception for operations. */
  async recordException(input: RecordExceptionInput): Promise<void> {
    await this.exceptions.record(input, { manager: this.uow.manager });
  }
}
