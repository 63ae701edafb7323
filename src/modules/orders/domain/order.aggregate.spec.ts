import {
  canTransition,
  Order,
  ORDER_TRANSITIONS,
  type OrderLifecycleStatus,
  statusesThatMayBecome,
} from './order.aggregate.js';
import { IllegalOrderTransitionError } from './order.errors.js';

const ALL = Object.keys(ORDER_TRANSITIONS) as OrderLifecycleStatus[];

/** Every legal move, as the lifecycle documents it; everything else must be refused. */
const LEGAL: [OrderLifecycleStatus, OrderLifecycleStatus][] = [
  ['RECEIVED', 'ACCEPTED'],
  ['RECEIVED', 'ON_HOLD'],
  ['ON_HOLD', 'ACCEPTED'],
  ['ON_HOLD', 'CANCELLED'],
  ['ACCEPTED', 'POSTING'],
  ['ACCEPTED', 'FAILED'],
  ['ACCEPTED', 'CANCELLED'],
  ['POSTING', 'POSTED'],
  ['POSTING', 'FAILED'],
  ['POSTING', 'CANCELLED'],
  ['FAILED', 'POSTING'],
  ['FAILED', 'POSTED'],
  ['FAILED', 'CANCELLED'],
  ['POSTED', 'PARTIALLY_SHIPPED'],
  ['POSTED', 'SHIPPED'],
  ['POSTED', 'CANCELLED'],
  ['PARTIALLY_SHIPPED', 'SHIPPED'],
  ['SHIPPED', 'INVOICED'],
  ['INVOICED', 'SHIPPED'],
];
const isLegal = (from: OrderLifecycleStatus, to: OrderLifecycleStatus) =>
  LEGAL.some(([f, t]) => f === from && t === to);

describe(Order.name, () => {
  describe('the transition table', () => {
    for (const from of ALL) {
      for (const to of ALL) {
        const legal = isLegal(from, to);
        it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
          expect(canTransition(from, to)).toBe(legal);
        });
      }
    }

    it('guards the POSTING update with exactly the statuses posting may start from', () => {
      expect(statusesThatMayBecome('POSTING').sort()).toEqual(['ACCEPTED', 'FAILED']);
    });

    it('lets nothing leave CANCELLED, and INVOICED only back to SHIPPED (a cancelled invoice)', () => {
      expect(ORDER_TRANSITIONS.CANCELLED).toEqual([]);
      expect(ORDER_TRANSITIONS.INVOICED).toEqual(['SHIPPED']);
    });
  });

  describe('capture', () => {
    it('starts RECEIVED and records RECEIVED → ACCEPTED when accepted', () => {
      const sut = Order.capture('o1');
      sut.accept();
      expect(sut.status).toBe('ACCEPTED');
      expect(sut.pendingChanges().map((c) => c.to)).toEqual(['RECEIVED', 'ACCEPTED']);
    });

    it('records RECEIVED → ON_HOLD when held', () => {
      const sut = Order.capture('o1');
      sut.hold();
      expect(sut.pendingChanges()).toEqual([
        { from: null, to: 'RECEIVED' },
        { from: 'RECEIVED', to: 'ON_HOLD' },
      ]);
    });

    it('refuses to hold an accepted order', () => {
      const sut = Order.capture('o1');
      sut.accept();
      expect(() => sut.hold()).toThrow(IllegalOrderTransitionError);
      expect(sut.status).toBe('ACCEPTED');
    });
  });

  describe('release', () => {
    it('accepts a held order', () => {
      const sut = Order.rehydrate('o1', 'ON_HOLD');
      sut.release();
      expect(sut.status).toBe('ACCEPTED');
      expect(sut.pendingChanges()).toEqual([{ from: 'ON_HOLD', to: 'ACCEPTED' }]);
    });

    it.each<OrderLifecycleStatus>(['RECEIVED', 'ACCEPTED', 'POSTING', 'POSTED', 'CANCELLED'])(
      'refuses an order %s with a coded domain error',
      (status) => {
        const sut = Order.rehydrate('o1', status);
        expect(() => sut.release()).toThrow(
          expect.objectContaining({ code: 'ORDER.ILLEGAL_TRANSITION', from: status }),
        );
        expect(sut.pendingChanges()).toEqual([]);
      },
    );
  });

  describe('posting', () => {
    it('starts posting from ACCEPTED and from FAILED (a replay)', () => {
      for (const status of ['ACCEPTED', 'FAILED'] as const) {
        const sut = Order.rehydrate('o1', status);
        sut.startPosting();
        expect(sut.status).toBe('POSTING');
      }
    });

    it('refuses to post a held order', () => {
      expect(() => Order.rehydrate('o1', 'ON_HOLD').startPosting()).toThrow(
        IllegalOrderTransitionError,
      );
    });

    it('stays POSTING while a segment is not in the ERP yet', () => {
      const sut = Order.rehydrate('o1', 'POSTING');
      expect(sut.segmentPosted([true, false])).toBe(false);
      expect(sut.status).toBe('POSTING');
      expect(sut.pendingChanges()).toEqual([]);
    });

    it('becomes POSTED with its last segment', () => {
      const sut = Order.rehydrate('o1', 'POSTING');
      expect(sut.segmentPosted([true, true])).toBe(true);
      expect(sut.status).toBe('POSTED');
    });

    it('refuses POSTED for a cancelled order', () => {
      expect(() => Order.rehydrate('o1', 'CANCELLED').segmentPosted([true])).toThrow(
        IllegalOrderTransitionError,
      );
    });

    it('fails once: a second failing segment changes nothing', () => {
      const sut = Order.rehydrate('o1', 'POSTING');
      expect(sut.fail()).toBe(true);
      expect(sut.fail()).toBe(false);
      expect(sut.pendingChanges()).toEqual([{ from: 'POSTING', to: 'FAILED' }]);
    });

    it('refuses to fail a posted order', () => {
      expect(() => Order.rehydrate('o1', 'POSTED').fail()).toThrow(IllegalOrderTransitionError);
    });
  });

  describe('cancel', () => {
    it.each<OrderLifecycleStatus>(['ON_HOLD', 'ACCEPTED', 'POSTING', 'FAILED', 'POSTED'])(
      'cancels an order %s',
      (status) => {
        const sut = Order.rehydrate('o1', status);
        expect(sut.cancel()).toBe(true);
        expect(sut.status).toBe('CANCELLED');
      },
    );

    it('answers "no change" for an order already cancelled', () => {
      const sut = Order.rehydrate('o1', 'CANCELLED');
      expect(sut.cancel()).toBe(false);
      expect(sut.pendingChanges()).toEqual([]);
    });

    it.each<OrderLifecycleStatus>(['RECEIVED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED'])(
      'refuses to cancel an order %s',
      (status) => {
        expect(() => Order.rehydrate('o1', status).cancel()).toThrow(IllegalOrderTransitionError);
      },
    );
  });

  describe('quantitiesChanged', () => {
    const line = (ordered: string, shipped: string, cancelled = '0', invoiced = '0') => ({
      lineNo: 1,
      ordered,
      shipped,
      cancelled,
      invoiced,
    });

    it('moves a posted order to PARTIALLY_SHIPPED when part of a line shipped', () => {
      const sut = Order.rehydrate('o1', 'POSTED');
      expect(sut.quantitiesChanged([line('10', '4'), line('2', '0')])).toBe(true);
      expect(sut.status).toBe('PARTIALLY_SHIPPED');
    });

    it('moves a partially shipped order to SHIPPED when the rest shipped or was cancelled', () => {
      const sut = Order.rehydrate('o1', 'PARTIALLY_SHIPPED');
      expect(sut.quantitiesChanged([line('10', '4', '6')])).toBe(true);
      expect(sut.pendingChanges()).toEqual([{ from: 'PARTIALLY_SHIPPED', to: 'SHIPPED' }]);
    });

    it('goes through SHIPPED to INVOICED when one sync brings the last shipment and its invoice', () => {
      const sut = Order.rehydrate('o1', 'POSTED');
      sut.quantitiesChanged([line('3', '3', '0', '3')]);
      expect(sut.pendingChanges().map((c) => c.to)).toEqual(['SHIPPED', 'INVOICED']);
    });

    it('goes back to SHIPPED when an invoice is cancelled', () => {
      const sut = Order.rehydrate('o1', 'INVOICED');
      sut.quantitiesChanged([line('3', '3', '0', '0')]);
      expect(sut.status).toBe('SHIPPED');
    });

    it('cancels a posted order whose every line the ERP cancelled', () => {
      const sut = Order.rehydrate('o1', 'POSTED');
      sut.quantitiesChanged([line('3', '0', '3')]);
      expect(sut.status).toBe('CANCELLED');
    });

    it.each<OrderLifecycleStatus>(['POSTING', 'FAILED', 'ACCEPTED'])(
      'keeps an order %s (not in the ERP yet) where it is',
      (status) => {
        const sut = Order.rehydrate('o1', status);
        expect(sut.quantitiesChanged([line('3', '1')])).toBe(false);
        expect(sut.status).toBe(status);
      },
    );
  });
});
