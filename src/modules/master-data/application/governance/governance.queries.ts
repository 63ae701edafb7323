import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isBigintString, isIsoTimestamp } from '../../../../platform/cursor/index.js';
import type { AuditEntry } from '../../domain/audit-entry.js';
import type { AuditedEntity } from '../../domain/field-state.js';
import type {
  ProposalEntity,
  ProposalStatus,
  StewardshipProposal,
} from '../../domain/stewardship-proposal.js';
import { AuditLog } from '../../infrastructure/audit-log.js';
import { toProposal } from '../../infrastructure/master-data.unit-of-work.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { MasterDataErrors } from '../master-data.errors.js';

export const DEFAULT_GOVERNANCE_PAGE_SIZE = 50;
export const MAX_GOVERNANCE_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const isAuditCursor = (v: unknown): v is { a: string } =>
  typeof v === 'object' && v !== null && isBigintString((v as { a: unknown }).a);
const isProposalCursor = (v: unknown): v is { t: string; i: string } =>
  typeof v === 'object' &&
  v !== null &&
  isIsoTimestamp((v as { t: unknown }).t) &&
  typeof (v as { i: unknown }).i === 'string' &&
  /^[0-9a-f-]{36}$/.test((v as { i: string }).i);

/** Read side of governance: record histories and the stewardship queue, cursor paged. */
@Injectable()
export class GovernanceQueries {
  constructor(
    private readonly audit: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** A record's changes, oldest first; 404 when the hub never held the record. */
  async history(
    entity: AuditedEntity,
    key: string,
    cursor: string | undefined,
    limit = DEFAULT_GOVERNANCE_PAGE_SIZE,
  ): Promise<Page<AuditEntry>> {
    const after = cursor ? decodeCursor(cursor, isAuditCursor).a : null;
    const rows = await this.audit.history(entity, key, after, limit + 1);
    if (rows.length === 0 && after === null) {
      throw entity === 'customer'
        ? MasterDataErrors.customerNotFound(key)
        : MasterDataErrors.itemNotFound(key);
    }
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ a: last.id }) : null,
    };
  }

  /** Proposals oldest first (a queue), filtered by status and entity. */
  async proposals(filter: {
    status?: ProposalStatus;
    entity?: ProposalEntity;
    cursor?: string;
    limit?: number;
  }): Promise<Page<StewardshipProposal>> {
    const limit = filter.limit ?? DEFAULT_GOVERNANCE_PAGE_SIZE;
    const position = filter.cursor ? decodeCursor(filter.cursor, isProposalCursor) : null;
    const rows = (await this.dataSource.query(
      `SELECT * FROM md_stewardship_proposal
       WHERE ($1::text IS NULL OR status = $1)
         AND ($2::text IS NULL OR entity = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
       ORDER BY created_at, id LIMIT $5`,
      [
        filter.status ?? null,
        filter.entity ?? null,
        position?.t ?? null,
        position?.i ?? null,
        limit + 1,
      ],
    )) as Parameters<typeof toProposal>[0][];
    const items = rows.slice(0, limit).map(toProposal);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ t: last.createdAt.toISOString(), i: last.id })
          : null,
    };
  }
}
