import { Module } from '@nestjs/common';

/**
 * Fulfillment: shipments (ERP, WMS/3PL, drop-ship suppliers), backorders and invoices, fed back
 * into the orders and out to the channels.
 */
@Module({})
export class FulfillmentModule {}
