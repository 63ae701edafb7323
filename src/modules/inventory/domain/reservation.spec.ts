import { availableToPromise } from './availability.js';
import { Decimal } from 'decimal.js';
import {
  checkReservationRequest,
  demandByPosition,
  sameDemand,
  takeFromLines,
} from './reservation.js';

describe(demandByPosition.name, () => {
  it('adds up the lines of one position and sorts positions so every writer locks in one order', () => {
    const demand = demandByPosition([
      { sku: 'B', warehouse: 'WH-2', quantity: '1' },
      { sku: 'A', warehouse: 'WH-9', quantity: '2' },
      { sku: 'B', warehouse: 'WH-2', quantity: '0.5' },
      { sku: 'A', warehouse: 'WH-1', quantity: '3' },
    ]);
    expect(demand.map((d) => [d.sku, d.warehouse, d.quantity.toFixed()])).toEqual([
      ['A', 'WH-1', '3'],
      ['A', 'WH-9', '2'],
      ['B', 'WH-2', '1.5'],
    ]);
  });

  it('sees two requests for the same stock as the same, however the lines are split', () => {
    expect(
      sameDemand(
        [{ sku: 'A', warehouse: 'W', quantity: '2' }],
        [
          { sku: 'A', warehouse: 'W', quantity: '1' },
          { sku: 'A', warehouse: 'W', quantity: '1.0' },
        ],
      ),
    ).toBe(true);
  });
});

describe(checkReservationRequest.name, () => {
  it('refuses lines without a positive decimal quantity, naming each', () => {
    const check = checkReservationRequest('o-1', [
      { sku: 'A', warehouse: 'W', quantity: '0' },
      { sku: '', warehouse: 'W', quantity: 1 },
    ]);
    expect(!check.ok && check.problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'lines[0].quantity:INVALID_QUANTITY',
      'lines[1].sku:REQUIRED',
      'lines[1].quantity:INVALID_QUANTITY',
    ]);
  });
});

describe(availableToPromise.name, () => {
  it('is on hand less allocated, pending hand-overs, reserved and safety stock, never below 0', () => {
    const figures = {
      onHand: '100',
      allocated: '20',
      allocationPending: '5',
      reserved: '30',
      safetyStock: '10',
    };
    expect(availableToPromise(figures).toFixed()).toBe('35');
    expect(availableToPromise({ ...figures, onHand: '50' }).toFixed()).toBe('0');
  });
});

describe(takeFromLines.name, () => {
  const lines = [
    { lineNo: 2, sku: 'A', warehouse: 'W1', quantity: '3' },
    { lineNo: 1, sku: 'A', warehouse: 'W1', quantity: '2' },
    { lineNo: 3, sku: 'B', warehouse: 'W1', quantity: '5' },
  ];

  it('takes from the lines of the position in line order, never more than they hold', () => {
    const { remaining, taken } = takeFromLines(lines, [
      { sku: 'A', warehouse: 'W1', quantity: new Decimal(4) },
      { sku: 'C', warehouse: 'W1', quantity: new Decimal(1) },
    ]);
    expect(remaining.map((l) => [l.lineNo, l.quantity.toFixed()])).toEqual([
      [1, '0'],
      [2, '1'],
    ]);
    expect(taken.map((d) => [d.sku, d.quantity.toFixed()])).toEqual([['A', '4']]);
  });

  it('caps at what the reservation holds', () => {
    const { taken } = takeFromLines(lines, [
      { sku: 'B', warehouse: 'W1', quantity: new Decimal(9) },
    ]);
    expect(taken.map((d) => d.quantity.toFixed())).toEqual(['5']);
  });
});
