import { Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import {
  type DeltaPageWrite,
  type DeltaStreamWriter,
  type DeltaSyncRun,
  DeltaSyncService,
  type DeltaWriteResult,
} from '../../../../../platform/delta-sync/index.js';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import type { ErpInvoice, ErpShipment } from '../../../domain/erp-fulfillment.js';
import { checkErpInvoice, checkErpShipment } from '../../../domain/erp-fulfillment.check.js';
import { FulfillmentErrors } from '../../fulfillment.errors.js';
import { InvoiceFeed } from '../../ports/invoice.feed.js';
import { ShipmentFeed } from '../../ports/shipment.feed.js';
import { ErpInvoiceRecorder } from './erp-invoice.recorder.js';
import { ErpShipmentRecorder, type RecordOutcome } from './erp-shipment.recorder.js';
import {
  FULFILLMENT_SYNC,
  INVOICES_STREAM,
  SHIPMENTS_STREAM,
  SyncFulfillmentCommand,
} from './sync-fulfillment.command.js';

const CHANGED: readonly RecordOutcome[] = ['created', 'linked', 'updated'];

/**
 * The shipment and invoice sync on the delta-sync runner: the runner pages each feed, checks
 * every record, keeps the watermarks and the run; the writers apply each page's shipments and
 * invoices to the orders inside the page's transaction (the watermark commits with them), so a
 * crash mid-page re-reads the page and the recorders find what was already applied.
 * Shipments are read before invoices: an invoice's quantities must find their shipment.
 */
@CommandHandler(SyncFulfillmentCommand)
export class SyncFulfillmentHandler implements ICommandHandler<SyncFulfillmentCommand> {
  constructor(
    private readonly deltaSync: DeltaSyncService,
    private readonly uow: UnitOfWork,
    private readonly shipments: ErpShipmentRecorder,
    private readonly invoices: ErpInvoiceRecorder,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    @Optional() private readonly shipmentFeed?: ShipmentFeed,
    @Optional() private readonly invoiceFeed?: InvoiceFeed,
  ) {
    this.logger.setContext(SyncFulfillmentHandler.name);
  }

  execute(command: SyncFulfillmentCommand): Promise<DeltaSyncRun> {
    const shipmentFeed = this.shipmentFeed;
    const invoiceFeed = this.invoiceFeed;
    if (!shipmentFeed || !invoiceFeed) throw FulfillmentErrors.erpAdapterUnavailable();
    const settings = this.config.fulfillment;
    return this.deltaSync.start(
      {
        sync: FULFILLMENT_SYNC,
        feedName: shipmentFeed.name,
        pageSize: settings.syncPageSize,
        lagSeconds: settings.syncLagSeconds,
        streams: [
          {
            name: SHIPMENTS_STREAM,
            read: (request) => shipmentFeed.readShipments(request),
            check: checkErpShipment,
            writer: this.writer<ErpShipment>(
              (r) => r.shipmentNo,
              (_sourceId, record) => this.shipments.record(record),
            ),
          },
          {
            name: INVOICES_STREAM,
            read: (request) => invoiceFeed.readInvoices(request),
            check: checkErpInvoice,
            writer: this.writer<ErpInvoice>(
              (r) => r.invoiceNo,
              (sourceId, record) => this.invoices.record(sourceId, record),
            ),
          },
        ],
      },
      { trigger: command.trigger, wait: command.wait, full: command.full },
    );
  }

  private writer<T>(
    keyOf: (record: T) => string,
    record: (sourceId: string, record: T) => Promise<RecordOutcome>,
  ): DeltaStreamWriter<T> {
    return {
      keyOf,
      write: (page: DeltaPageWrite<T>): Promise<DeltaWriteResult> =>
        this.uow.join(page.manager, async () => {
          let upserted = 0;
          for (const change of page.changes) {
            const outcome = await record(change.sourceId, change.record);
            if (CHANGED.includes(outcome)) upserted += 1;
          }
          // Deleted shipments/invoices: the ERP does not delete posted documents; a cancelled
          // invoice comes as a change (status CANCELLED), which takes its quantities back.
          return { upserted, deleted: 0 };
        }),
    };
  }
}
