import { Injectable } from '@nestjs/common';
import { InventoryService } from '../../inventory/index.js';
import type { SegmentToShip } from '../domain/order-to-ship.js';
import type { ShipmentLine } from '../domain/shipment.js';

/**
 * Reservations are consumed on shipment: the stock a warehouse shipped stops being the order's
 * (InventoryService.consumeShipped, in the caller's unit of work), so a later cancel of the rest
 * never gives shipped stock back. A drop-ship segment holds no stock of ours.
 */
@Injectable()
export class ShippedStock {
  constructor(private readonly inventory: InventoryService) {}

  async consume(
    orderId: string,
    segment: SegmentToShip,
    lines: readonly Omit<ShipmentLine, 'lineNo'>[],
  ): Promise<void> {
    const warehouse = segment.warehouse;
    if (segment.kind !== 'STOCK' || warehouse === null) return;
    await this.inventory.consumeShipped(
      orderId,
      lines.map((l) => ({ sku: l.sku, warehouse, baseQuantity: l.baseQuantity })),
    );
  }
}
