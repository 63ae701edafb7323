import { Decimal } from 'decimal.js';
import { allocate, type StockDemand } from './allocation.js';

const line = (lineNo: number, sku: string, qty: number): StockDemand => ({
  lineNo,
  sku,
  baseQuantity: new Decimal(qty),
});
const atp = (rows: Record<string, Record<string, number>>) =>
  new Map(
    Object.entries(rows).map(([sku, byWh]) => [
      sku,
      new Map(Object.entries(byWh).map(([w, q]) => [w, new Decimal(q)])),
    ]),
  );
const summary = (result: ReturnType<typeof allocate>) =>
  result.map((a) => `${a.lineNo}@${a.warehouse}:${a.reserved.toString()}/${a.short.toString()}`);

describe(allocate.name, () => {
  it('ships everything from the preferred warehouse when it has it all', () => {
    const result = allocate({
      lines: [line(1, 'A', 5), line(2, 'B', 2)],
      atp: atp({ A: { EAST: 10, WEST: 10 }, B: { EAST: 2, WEST: 5 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@WEST:5/0', '2@WEST:2/0']);
  });

  it('prefers another warehouse that ships the order complete over splitting it', () => {
    const result = allocate({
      lines: [line(1, 'A', 5), line(2, 'B', 2)],
      atp: atp({ A: { EAST: 10, WEST: 10 }, B: { EAST: 2, WEST: 1 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@EAST:5/0', '2@EAST:2/0']);
  });

  it('counts two lines of one SKU together when looking for a complete warehouse', () => {
    const result = allocate({
      lines: [line(1, 'A', 6), line(2, 'A', 6)],
      atp: atp({ A: { WEST: 10, EAST: 12 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@EAST:6/0', '2@EAST:6/0']);
  });

  it('splits lines across warehouses when no one ships complete and the channel allows it', () => {
    const result = allocate({
      lines: [line(1, 'A', 5), line(2, 'B', 4)],
      atp: atp({ A: { WEST: 5 }, B: { EAST: 4 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@WEST:5/0', '2@EAST:4/0']);
  });

  it('backorders what no warehouse has, from the warehouse with the most of it', () => {
    const result = allocate({
      lines: [line(1, 'A', 10)],
      atp: atp({ A: { WEST: 3, EAST: 7 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@EAST:7/3']);
  });

  it('keeps the order in one warehouse when the channel does not allow splits, backordering the rest', () => {
    const result = allocate({
      lines: [line(1, 'A', 5), line(2, 'B', 4)],
      atp: atp({ A: { WEST: 5 }, B: { EAST: 4, WEST: 1 } }),
      warehouses: ['WEST', 'EAST'],
      allowSplit: false,
    });
    expect(summary(result)).toEqual(['1@WEST:5/0', '2@WEST:1/3']);
  });

  it('never promises negative or missing stock', () => {
    const result = allocate({
      lines: [line(1, 'A', 2)],
      atp: atp({ A: { WEST: -4 } }),
      warehouses: ['WEST'],
      allowSplit: true,
    });
    expect(summary(result)).toEqual(['1@WEST:0/2']);
  });
});
