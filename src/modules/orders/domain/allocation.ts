import { Decimal } from 'decimal.js';

/** A stocked order line's demand, in the item's base UoM. */
export interface StockDemand {
  lineNo: number;
  sku: string;
  baseQuantity: Decimal;
}

/** Where one stocked line ships from, what is held for it, and what the ERP will backorder. */
export interface LineAllocation {
  lineNo: number;
  warehouse: string;
  /** Reserved in the hub now (base UoM). */
  reserved: Decimal;
  /** Not available: backordered (base UoM). */
  short: Decimal;
}

export interface AllocationInput {
  lines: readonly StockDemand[];
  /** ATP per SKU per warehouse, after the channel's rules. */
  atp: ReadonlyMap<string, ReadonlyMap<string, Decimal>>;
  /** Warehouses the channel may ship from, in preference order (preferred for the ship-to first). */
  warehouses: readonly string[];
  allowSplit: boolean;
}

/**
 * Allocates stocked lines to warehouses, in this order of preference:
 * 1. the first warehouse (preferred for the ship-to first) that ships the whole order complete;
 * 2. if the channel allows split shipments: each line from the first warehouse that ships that
 *    line complete (so one order may become several ERP orders), else from the one with the
 *    most of it, backordering the rest;
 * 3. otherwise one warehouse for everything: the one that can ship the most units, with the
 *    short quantities backordered.
 * A line is never split across warehouses: a partial line is backordered where it is allocated.
 */
export function allocate(input: AllocationInput): LineAllocation[] {
  const { lines, warehouses } = input;
  if (lines.length === 0) return [];
  if (warehouses.length === 0) throw new Error('allocate() needs at least one warehouse');
  const atpOf = (sku: string, warehouse: string): Decimal =>
    input.atp.get(sku)?.get(warehouse) ?? new Decimal(0);

  const demandBySku = new Map<string, Decimal>();
  for (const line of lines) {
    demandBySku.set(
      line.sku,
      (demandBySku.get(line.sku) ?? new Decimal(0)).plus(line.baseQuantity),
    );
  }
  const complete = warehouses.find((w) =>
    [...demandBySku].every(([sku, need]) => atpOf(sku, w).greaterThanOrEqualTo(need)),
  );
  if (complete !== undefined) {
    return lines.map((l) => ({
      lineNo: l.lineNo,
      warehouse: complete,
      reserved: l.baseQuantity,
      short: new Decimal(0),
    }));
  }

  const left = new Map<string, Decimal>();
  const key = (sku: string, w: string) => `${sku}\u0000${w}`;
  const remaining = (sku: string, w: string): Decimal => left.get(key(sku, w)) ?? atpOf(sku, w);
  const take = (line: StockDemand, warehouse: string): LineAllocation => {
    const available = Decimal.max(remaining(line.sku, warehouse), 0);
    const reserved = Decimal.min(available, line.baseQuantity);
    left.set(key(line.sku, warehouse), available.minus(reserved));
    return {
      lineNo: line.lineNo,
      warehouse,
      reserved,
      short: line.baseQuantity.minus(reserved),
    };
  };

  if (input.allowSplit) {
    return lines.map((line) => {
      const whole = warehouses.find((w) =>
        remaining(line.sku, w).greaterThanOrEqualTo(line.baseQuantity),
      );
      if (whole !== undefined) return take(line, whole);
      // Nowhere complete: the warehouse with the most (the preferred one on a tie) ships what it has.
      let best = warehouses[0];
      for (const w of warehouses)
        if (remaining(line.sku, w).greaterThan(remaining(line.sku, best))) best = w;
      return take(line, best);
    });
  }

  let best = warehouses[0];
  let bestUnits = new Decimal(-1);
  for (const w of warehouses) {
    const units = [...demandBySku].reduce(
      (sum, [sku, need]) => sum.plus(Decimal.min(Decimal.max(atpOf(sku, w), 0), need)),
      new Decimal(0),
    );
    if (units.greaterThan(bestUnits)) {
      best = w;
      bestUnits = units;
    }
  }
  return lines.map((line) => take(line, best));
}
