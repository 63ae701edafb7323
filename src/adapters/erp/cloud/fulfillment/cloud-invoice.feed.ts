import { Injectable } from '@nestjs/common';
import { type ErpInvoice, InvoiceFeed } from '../../../../modules/fulfillment/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { CloudErpConnection } from '../cloud-erp.connection.js';
import { assertTimed, modifiedAtOf } from '../composite-delta.reader.js';
import { DocumentDeltaReader } from '../document-delta.js';
import { CloudFulfillmentMapper } from './cloud-fulfillment.mapper.js';

/**
 * InvoiceFeed over BC's `salesInvoices` (one endpoint for draft and posted invoices, §5.10),
 * lines expanded. sourceId is the invoice's `id`. BC's statuses map to the hub's: Draft and
 * In Review → DRAFT, Open → OPEN, Paid → PAID, Canceled and Corrective → CANCELLED. A blank
 * currency code is the company's local currency.
 */
@Injectable()
export class CloudInvoiceFeed extends InvoiceFeed {
  readonly name = 'cloud';
  private readonly reader: DocumentDeltaReader;

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.reader = new DocumentDeltaReader(erp, {
      entitySet: 'salesInvoices',
      lines: 'salesInvoiceLines',
      select: [
        'number',
        'orderNumber',
        'externalDocumentNumber',
        'invoiceDate',
        'postingDate',
        'dueDate',
        'currencyCode',
        'totalAmountExcludingTax',
        'totalTaxAmount',
        'totalAmountIncludingTax',
        'remainingAmount',
        'status',
      ],
    });
  }

  async readInvoices(request: DeltaReadRequest): Promise<DeltaPage<ErpInvoice>> {
    const page = await this.reader.readPage(request);
    return {
      records: page.records.map((record) => {
        const { header, lines } = this.reader.rowsOf(record);
        return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
          assertTimed(record);
          if (!header) throw new UnmappableRecordError('The invoice header is missing.');
          return CloudFulfillmentMapper.invoice(header, lines, this.erp.localCurrency);
        });
      }),
      nextCursor: page.nextCursor,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}
