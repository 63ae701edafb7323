import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { availableToPromise } from '../../../domain/availability.js';
import { formatQuantity, parseQuantity } from '../../../domain/quantity.js';
import { AvailabilityOutbox } from '../../../infrastructure/availability.outbox.js';
import {
  POSITION_COLUMNS,
  PositionStore,
  toPositionState,
} from '../../../infrastructure/position.store.js';
import { inTransaction, queryRows } from '../../../infrastructure/sql.js';
import { InventoryErrors } from '../../inventory.errors.js';
import { StockCatalog } from '../../stock-catalog.js';
import { type PositionView, SetSafetyStockCommand } from './set-safety-stock.command.js';

@CommandHandler(SetSafetyStockCommand)
export class SetSafetyStockHandler implements ICommandHandler<SetSafetyStockCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly positions: PositionStore,
    private readonly availability: AvailabilityOutbox,
    private readonly catalog: StockCatalog,
  ) {}

  async execute(command: SetSafetyStockCommand): Promise<PositionView> {
    const quantity = parseQuantity(command.safetyStock);
    if (!quantity || quantity.isNegative()) throw InventoryErrors.invalidSafetyStock();
    const key = { sku: command.sku, warehouse: command.warehouse };
    // lockPositions creates a missing position: only for an item and a warehouse that exist.
    const unknown = await this.catalog.unknownCodes(key.sku, key.warehouse);
    if (unknown.skuUnknown || unknown.warehouseUnknown) {
      throw InventoryErrors.unknownPosition(key.sku, key.warehouse, unknown);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const [before] = [...(await this.positions.lockPositions(manager, [key])).values()];
      const [row] = await queryRows<Parameters<typeof toPositionState>[0]>(
        manager,
        `WITH updated AS (
           UPDATE inv_position SET safety_stock = $3, updated_at = clock_timestamp()
            WHERE sku = $1 AND warehouse_code = $2 RETURNING *)
         SELECT ${POSITION_COLUMNS} FROM updated`,
        [key.sku, key.warehouse, quantity.toFixed()],
      );
      const after = toPositionState(row);
      await this.availability.record(manager, [{ before, after, sourceEventAt: new Date() }]);
      return {
        sku: after.sku,
        warehouse: after.warehouse,
        figures: after.figures,
        atp: formatQuantity(availableToPromise(after.figures)),
        stockEventAt: after.stockEventAt,
        updatedAt: after.updatedAt,
      };
    });
  }
}
