import { Global, Module } from '@nestjs/common';
import { DeltaSyncModule } from '../../platform/delta-sync/index.js';
import { InventoryModule } from '../inventory/index.js';
import { OrderDocumentsReader, OrdersModule } from '../orders/index.js';
import { ShippedStock } from './application/shipped-stock.js';
import { FulfillmentDocumentsReader } from './application/queries/order-documents.reader.js';
import { ConfirmShipmentHandler } from './application/commands/confirm-shipment/confirm-shipment.handler.js';
import { ShipmentPostingJob } from './application/commands/post-shipment/post-shipment.job.js';
import { ErpInvoiceRecorder } from './application/commands/sync-fulfillment/erp-invoice.recorder.js';
import { ErpShipmentRecorder } from './application/commands/sync-fulfillment/erp-shipment.recorder.js';
import { SyncFulfillmentHandler } from './application/commands/sync-fulfillment/sync-fulfillment.handler.js';
import { FulfillmentJobs } from './application/fulfillment.jobs.js';
import { FulfillmentMetrics } from './application/fulfillment.metrics.js';
import { fulfillmentQueryHandlers } from './application/queries/fulfillment.queries.js';
import { FulfillmentController } from './http/fulfillment.controller.js';
import { InvoiceRepository } from './infrastructure/invoice.repository.js';
import { ShipmentRepository } from './infrastructure/shipment.repository.js';

const commandHandlers = [ConfirmShipmentHandler, SyncFulfillmentHandler];
const repositories = [ShipmentRepository, InvoiceRepository];

/**
 * Fulfillment: shipments (ERP, WMS/3PL, drop-ship suppliers), backorders and invoices, fed back
 * into the orders (through the orders module's OrderFulfillment) and out to the channels; WMS and
 * supplier shipments posted to the ERP through the ShipmentGateway port, ERP shipments and
 * invoices read through ShipmentFeed and InvoiceFeed (bound by ErpAdapterModule).
 */
// Global for one binding: the orders module reads an order's documents through its
// OrderDocumentsReader port, which this module implements (see that port for why).
@Global()
@Module({
  imports: [OrdersModule, InventoryModule, DeltaSyncModule],
  controllers: [FulfillmentController],
  providers: [
    ...commandHandlers,
    ...fulfillmentQueryHandlers,
    ...repositories,
    ErpShipmentRecorder,
    ErpInvoiceRecorder,
    ShipmentPostingJob,
    FulfillmentJobs,
    FulfillmentMetrics,
    ShippedStock,
    FulfillmentDocumentsReader,
    { provide: OrderDocumentsReader, useExisting: FulfillmentDocumentsReader },
  ],
  exports: [OrderDocumentsReader],
})
export class FulfillmentModule {}
