import { Command } from '@nestjs/cqrs';
import type { PositionFigures } from '../../../domain/availability.js';

export interface PositionView {
  sku: string;
  warehouse: string;
  figures: PositionFigures;
  /** ATP before channel rules. */
  atp: string;
  stockEventAt: Date | null;
  updatedAt: Date;
}

/** Sets the safety stock of a position (base UoM): held back from every channel's ATP. */
export class SetSafetyStockCommand extends Command<PositionView> {
  constructor(
    readonly sku: string,
    readonly warehouse: string,
    readonly safetyStock: string,
  ) {
    super();
  }
}
