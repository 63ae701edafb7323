import { Injectable } from '@nestjs/common';
import {
  type ErpOrderSnapshot,
  type ErpOrderSnapshotLine,
  SalesOrderChangeFeed,
} from '../../../../modules/orders/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { bcDecimalOrZero } from '../bc-values.js';
import { type BcRow, CloudErpConnection } from '../cloud-erp.connection.js';
import { assertTimed, modifiedAtOf } from '../composite-delta.reader.js';
import { DocumentDeltaReader } from '../document-delta.js';
import { odataString, SEQUENCE_STEP } from './cloud-sales-order.mapper.js';

const HEADER_FIELDS = ['number', 'externalDocumentNumber', 'fullyShipped', 'status'];
/** References per look-up `$filter` (BC keeps URLs short). */
const REFERENCES_PER_LOOKUP = 25;
/** The port's limit per lookUp call. */
const MAX_REFERENCES = 50;

/**
 * SalesOrderChangeFeed over BC's `salesOrders`, lines expanded: the delta reads orders that
 * carry an external document number (`externalDocumentNumber ne ''`: the hub's orders) by
 * lastModifiedDateTime, which BC stamps on the header when a line changes (§5.6). sourceId is
 * the order's `id`.
 *
 * - state: OPEN, or CLOSED once BC says fullyShipped. BC deletes a cancelled order (and an
 *   order once completely shipped AND invoiced): a delta never shows it; lookUp answers
 *   NOT_FOUND, and the hub tells a cancel from a completed order by what it has seen shipped
 *   and invoiced.
 * - lines: the hub's line n was created as sequence n × 10000 (CloudSalesOrderGateway); a
 *   sequence that is not a multiple of 10000 (a line an ERP user inserted between) reads
 *   `lineNo: null`. A line an ERP user appended after the hub's reads as the next multiple:
 *   the hub knows its own line numbers and treats one it never submitted as added.
 * - changedBy: BC v2.0's salesOrder does not say who changed it: null.
 */
@Injectable()
export class CloudSalesOrderChangeFeed extends SalesOrderChangeFeed {
  readonly name = 'cloud';
  private readonly reader: DocumentDeltaReader;

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.reader = new DocumentDeltaReader(erp, {
      entitySet: 'salesOrders',
      lines: 'salesOrderLines',
      select: HEADER_FIELDS,
      filter: "externalDocumentNumber ne ''",
    });
  }

  async readChanges(request: DeltaReadRequest): Promise<DeltaPage<ErpOrderSnapshot>> {
    const page = await this.reader.readPage(request);
    return {
      records: page.records.map((record) => {
        const { header, lines } = this.reader.rowsOf(record);
        return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
          assertTimed(record);
          if (!header) throw new UnmappableRecordError('The sales order header is missing.');
          return snapshotOf(header, lines, modifiedAtOf(record));
        });
      }),
      nextCursor: page.nextCursor,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }

  async lookUp(
    externalReferences: readonly string[],
    signal?: AbortSignal,
  ): Promise<ErpOrderSnapshot[]> {
    const refs = [...new Set(externalReferences)];
    if (refs.length > MAX_REFERENCES) {
      throw new RangeError(`lookUp takes at most ${MAX_REFERENCES} references, got ${refs.length}`);
    }
    const found = new Map<string, BcRow>();
    for (let i = 0; i < refs.length; i += REFERENCES_PER_LOOKUP) {
      const chunk = refs.slice(i, i + REFERENCES_PER_LOOKUP);
      const rows = await this.erp.all<BcRow>(
        'standard',
        'salesOrders',
        {
          filter: chunk.map((ref) => `externalDocumentNumber eq ${odataString(ref)}`).join(' or '),
          select: ['id', 'lastModifiedDateTime', ...HEADER_FIELDS],
          expand: ['salesOrderLines'],
        },
        1000,
        signal,
      );
      // The oldest order number when BC holds two with one reference (as the gateway picks);
      // BC may compare case-insensitively: the reference must match exactly.
      rows.sort((a, b) =>
        String(a.number).localeCompare(String(b.number), 'en', { numeric: true }),
      );
      for (const row of rows) {
        const ref = String(row.externalDocumentNumber);
        if (chunk.includes(ref) && !found.has(ref)) found.set(ref, row);
      }
    }
    const now = new Date().toISOString();
    return externalReferences.map((ref) => {
      const row = found.get(ref);
      if (!row) {
        // Deleted (cancelled, or completely posted) or never there: BC keeps no trace.
        return {
          externalReference: ref,
          erpOrderNumber: null,
          state: 'NOT_FOUND',
          lines: [],
          modifiedAt: now,
          changedBy: null,
        };
      }
      const lines = Array.isArray(row.salesOrderLines) ? (row.salesOrderLines as BcRow[]) : [];
      const modified =
        typeof row.lastModifiedDateTime === 'string' ? row.lastModifiedDateTime : now;
      return snapshotOf(row, lines, new Date(Date.parse(modified) || Date.now()).toISOString());
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}

function snapshotOf(header: BcRow, lines: BcRow[], modifiedAt: string): ErpOrderSnapshot {
  const externalReference = textOrNull(header.externalDocumentNumber);
  if (externalReference === null) {
    throw new UnmappableRecordError('The order has no external document number.');
  }
  return {
    externalReference,
    erpOrderNumber: textOrNull(header.number),
    state: header.fullyShipped === true ? 'CLOSED' : 'OPEN',
    lines: lines
      .filter((l) => String(l.lineType ?? 'Item') === 'Item')
      .sort((a, b) => Number(a.sequence) - Number(b.sequence))
      .map(lineOf),
    modifiedAt,
    changedBy: null,
  };
}

function lineOf(line: BcRow): ErpOrderSnapshotLine {
  const sequence = Number(line.sequence);
  const sku = textOrNull(line.lineObjectNumber);
  const uom = textOrNull(line.unitOfMeasureCode);
  if (sku === null || uom === null) {
    throw new UnmappableRecordError(`Order line ${String(line.sequence)} has no item or unit.`);
  }
  return {
    lineNo:
      Number.isSafeInteger(sequence) && sequence > 0 && sequence % SEQUENCE_STEP === 0
        ? sequence / SEQUENCE_STEP
        : null,
    sku,
    uom,
    quantity: bcDecimalOrZero(line.quantity, 'quantity'),
    shippedQuantity: bcDecimalOrZero(line.shippedQuantity, 'shippedQuantity'),
  };
}
