import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Decimal } from 'decimal.js';
import { InventoryService } from '../../inventory/index.js';
import {
  type Customer,
  GetCustomerQuery,
  GetItemsQuery,
  GetWarehousesQuery,
  isFractionOfCountedUnit,
  type Item,
} from '../../master-data/index.js';
import { type PricedQuote, PriceQuoteQuery } from '../../pricing/index.js';
import { AppConfig } from '../../../config/index.js';
import type { CustomerScope } from '../../../platform/auth/index.js';
import { Clock, todayIn } from '../../../platform/clock/index.js';
import { ApplicationError } from '../../../platform/errors/index.js';
import { allocate, type StockDemand } from '../domain/allocation.js';
import type { OrderAdjustment, OrderLine, SegmentKind } from '../domain/order.js';
import type { OrderPolicy } from '../domain/order-policy.js';
import type { OrderViolation } from '../domain/order-violation.js';
import {
  availabilityCheck,
  conversionOf,
  currencyAccepted,
  customerActive,
  itemSellable,
  priceCheck,
  requestedDateNotPast,
  type RuleFindings,
  shipToKnown,
  taxAttributesPresent,
  uomConvertible,
} from '../domain/rules/index.js';
import {
  type OrderShipTo,
  resolveShipTo,
  type ShipToAddress,
  type ShipToChoice,
} from '../domain/ship-to.js';

/** What a channel asked for (the validated request body). */
export interface OrderRequest {
  channelOrderRef: string;
  customerId: string;
  shipToId?: string | null;
  shipToAddress?: ShipToAddress | null;
  poNumber?: string | null;
  requestedShipDate?: string | null;
  currency?: string | null;
  notes?: string | null;
  promotionCodes?: string[] | null;
  lines: {
    lineRef: string;
    sku: string;
    quantity: string;
    uom: string;
    expectedUnitPrice?: string | null;
  }[];
}

export interface PlanningChannel {
  channelId: string;
  name: string;
  kind: string;
  /**
   * The customers the channel may order for; a customer outside it is CUSTOMER_NOT_FOUND, as an
   * unknown one. Absent (operations releasing a held order): no restriction.
   */
  customerScope?: CustomerScope;
}

/** The one order line type: planned here, stored, answered and projected into the ERP document. */
export type PlannedLine = OrderLine;

export interface PlannedSegment {
  segmentNo: number;
  kind: SegmentKind;
  warehouse: string | null;
  supplierId: string | null;
}

export interface CreditAccountFigures {
  account: string;
  creditLimit: string | null;
  balanceDue: string;
}

/** Everything decided outside the transaction; credit is checked inside it. */
export interface OrderPlan {
  /** Every violation except CREDIT_LIMIT_EXCEEDED (needs the open orders, in the transaction). */
  violations: OrderViolation[];
  adjustments: OrderAdjustment[];
  /** Empty when a line could not be priced or placed (the order is then rejected). */
  lines: PlannedLine[];
  segments: PlannedSegment[];
  customer: Customer | null;
  shipTo: OrderShipTo;
  currency: string;
  priceVersion: string;
  pricingDate: string;
  total: string;
  credit: CreditAccountFigures | null;
}

/** What the header checks found: the customer, where the order ships, its currency. */
interface HeaderFacts {
  customer: Customer | null;
  choice: ShipToChoice;
  currency: string;
}

/**
 * Builds an order from a request: runs the capture rules (domain/rules) over master data, prices
 * it with the pricing engine, places stocked lines in warehouses (inventory availability after the
 * channel's rules) and drop-ship lines with their suppliers, and lists every violation with its
 * stable code, in a stable order. Reads only; the capture handler stores the result.
 */
@Injectable()
export class OrderPlanner {
  private readonly uomConvertible = uomConvertible(isFractionOfCountedUnit);

  constructor(
    private readonly queryBus: QueryBus,
    private readonly inventory: InventoryService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async plan(
    request: OrderRequest,
    channel: PlanningChannel,
    policy: OrderPolicy,
  ): Promise<OrderPlan> {
    const found = new Findings();
    const header = await this.checkHeader(request, channel, found);
    const items = await this.items(request);
    const factors = request.lines.map((line, index) =>
      this.checkLine(line, index, items.get(line.sku) ?? null, found),
    );
    const empty = (shipTo: OrderShipTo): OrderPlan => ({
      ...found.result(),
      lines: [],
      segments: [],
      customer: header.customer,
      shipTo,
      currency: header.currency,
      priceVersion: '',
      pricingDate: '',
      total: '0',
      credit: null,
    });
    const { customer } = header;
    if (!customer || found.has('CURRENCY_NOT_ACCEPTED')) return empty(null);

    const quote = await this.quote(request, factors, customer, header, channel);
    request.lines.forEach((line, index) => {
      if (factors[index] === null) return;
      found.add(
        priceCheck.check({
          line,
          index,
          priced: quote.byIndex.get(index),
          customerErpId: customer.erpId,
          policy,
        }),
      );
    });
    const unplaceable = request.lines.some(
      (_l, index) => factors[index] === null || !quote.byIndex.get(index)?.unitPrice,
    );
    if (unplaceable || !quote.quote) return empty(header.choice.shipTo);

    const { lines, segments } = await this.place(
      request,
      items,
      factors as Decimal[],
      quote.byIndex,
      channel,
      policy,
      header.choice.preferredWarehouse,
      found,
    );
    const total = lines
      .reduce((sum, l) => sum.plus(l.extendedPrice), new Decimal(0))
      .toFixed(quote.quote.totals.subtotal.split('.')[1]?.length ?? 2);
    return {
      ...found.result(),
      lines,
      segments,
      customer,
      shipTo: header.choice.shipTo,
      currency: header.currency,
      priceVersion: quote.quote.priceVersion,
      pricingDate: quote.quote.pricingDate,
      total,
      credit: await this.creditAccount(customer, policy),
    };
  }

  /** Customer, requested date, ship-to, tax attributes, currency: in that order. */
  private async checkHeader(
    request: OrderRequest,
    channel: PlanningChannel,
    found: Findings,
  ): Promise<HeaderFacts> {
    const customer = await this.customer(request.customerId, channel.customerScope);
    const choice = resolveShipTo(request, customer);
    const currency = (request.currency ?? customer?.currency ?? '').toUpperCase();
    found.add(customerActive.check({ customerId: request.customerId, customer }));
    found.add(
      requestedDateNotPast.check({
        requestedShipDate: request.requestedShipDate ?? null,
        // The hub's business day, as pricing counts it.
        today: todayIn(this.config.pricing.timeZone, this.clock.now()),
      }),
    );
    found.add(shipToKnown.check({ customer, choice }));
    found.add(taxAttributesPresent.check({ customer, choice, shipToNamed: !!request.shipToId }));
    found.add(currencyAccepted.check({ customer, currency }));
    return { customer, choice, currency };
  }

  /** Item sellable, then unit convertible: the line's factor to the base unit, or null. */
  private checkLine(
    line: OrderRequest['lines'][number],
    index: number,
    item: Item | null,
    found: Findings,
  ): Decimal | null {
    found.add(itemSellable.check({ line, index, item }));
    if (!item) return null;
    const uom = this.uomConvertible.check({ line, index, item });
    found.add(uom);
    if (uom.violations.length > 0) return null;
    return new Decimal((conversionOf(item, line.uom) as { factor: string }).factor);
  }

  private async items(request: OrderRequest): Promise<Map<string, Item>> {
    const skus = [...new Set(request.lines.map((l) => l.sku))];
    const items: Item[] = await this.queryBus.execute(new GetItemsQuery(skus));
    return new Map(items.map((i) => [i.sku, i]));
  }

  /** The engine's prices for every line whose item and unit are known, by request index. */
  private async quote(
    request: OrderRequest,
    factors: readonly (Decimal | null)[],
    customer: Customer,
    header: HeaderFacts,
    channel: PlanningChannel,
  ): Promise<{ quote: PricedQuote | null; byIndex: Map<number, PricedQuote['lines'][number]> }> {
    const priceable = request.lines
      .map((line, index) => ({ line, index }))
      .filter(({ index }) => factors[index] !== null);
    let quote: PricedQuote | null = null;
    if (priceable.length > 0) {
      try {
        quote = await this.queryBus.execute(
          new PriceQuoteQuery({
            customerId: customer.erpId,
            shipToId: header.choice.pricingCode,
            currency: header.currency,
            promotionCodes: request.promotionCodes ?? [],
            channel: { name: channel.name, kind: channel.kind },
            lines: priceable.map(({ line }) => ({
              sku: line.sku,
              quantity: line.quantity,
              uom: line.uom,
            })),
          }),
        );
      } catch (error) {
        if (!(error instanceof ApplicationError) || error.kind !== 'unprocessable') throw error;
        // The pricing cache does not know the customer (yet): no line can be priced.
        quote = null;
      }
    }
    const byIndex = new Map<number, PricedQuote['lines'][number]>();
    priceable.forEach(({ index }, i) => {
      const priced = quote?.lines[i];
      if (priced) byIndex.set(index, priced);
    });
    return { quote, byIndex };
  }

  /**
   * Placement: drop-ship lines by supplier, stocked lines by warehouse (allocation over the
   * channel's availability), then the availability rule per line; segments numbered 1….
   */
  private async place(
    request: OrderRequest,
    items: Map<string, Item>,
    factors: readonly Decimal[],
    pricedByIndex: Map<number, PricedQuote['lines'][number]>,
    channel: PlanningChannel,
    policy: OrderPolicy,
    preferredWarehouse: string | null,
    found: Findings,
  ): Promise<{ lines: PlannedLine[]; segments: PlannedSegment[] }> {
    const stockDemand: StockDemand[] = [];
    request.lines.forEach((line, index) => {
      const item = items.get(line.sku) as Item;
      if (item.fulfillmentType === 'STOCK') {
        stockDemand.push({
          lineNo: index + 1,
          sku: line.sku,
          baseQuantity: new Decimal(line.quantity).times(factors[index]),
        });
      }
    });
    const allocations = new Map(
      (await this.allocateStock(stockDemand, channel, policy, preferredWarehouse)).map((a) => [
        a.lineNo,
        a,
      ]),
    );

    const segmentKeys: string[] = [];
    const segmentOf = (key: string): number => {
      let at = segmentKeys.indexOf(key);
      if (at < 0) at = segmentKeys.push(key) - 1;
      return at + 1;
    };
    const lines: PlannedLine[] = request.lines.map((line, index) => {
      const item = items.get(line.sku) as Item;
      const priced = pricedByIndex.get(index) as PricedQuote['lines'][number];
      const baseQuantity = new Decimal(line.quantity).times(factors[index]);
      const allocation = allocations.get(index + 1);
      const stocked = item.fulfillmentType === 'STOCK';
      const warehouse = stocked ? (allocation?.warehouse ?? null) : null;
      const supplierId = stocked ? null : item.supplierId;
      found.add(
        availabilityCheck.check({
          line,
          index,
          sku: item.sku,
          baseUom: item.baseUom,
          baseQuantity,
          allocation,
          policy,
        }),
      );
      return {
        lineNo: index + 1,
        lineRef: line.lineRef,
        sku: item.sku,
        quantity: line.quantity,
        uom: priced.priceUom ?? line.uom,
        baseQuantity: baseQuantity.toString(),
        baseUom: item.baseUom,
        expectedUnitPrice: line.expectedUnitPrice ?? null,
        unitPrice: priced.unitPrice as string,
        extendedPrice: priced.extendedPrice as string,
        priceSource: priced.source,
        priceTrace: priced.trace,
        fulfillmentType: stocked ? 'STOCK' : 'DROP_SHIP',
        warehouse,
        supplierId,
        segmentNo: segmentOf(
          stocked ? `STOCK|${warehouse ?? ''}` : `DROP_SHIP|${supplierId ?? ''}`,
        ),
        reservedQuantity: allocation ? allocation.reserved.toString() : '0',
        backorderedQuantity: allocation ? allocation.short.toString() : '0',
        shippedQuantity: '0',
        cancelledQuantity: '0',
        invoicedQuantity: '0',
      };
    });
    const segments: PlannedSegment[] = segmentKeys.map((key, i) => {
      const [kind, ref] = key.split('|') as [SegmentKind, string];
      return {
        segmentNo: i + 1,
        kind,
        warehouse: kind === 'STOCK' ? ref : null,
        supplierId: kind === 'DROP_SHIP' ? ref : null,
      };
    });
    return { lines, segments };
  }

  private async customer(erpId: string, scope?: CustomerScope): Promise<Customer | null> {
    try {
      const synced = await this.queryBus.execute(new GetCustomerQuery(erpId, scope));
      return synced.value;
    } catch (error) {
      if (error instanceof ApplicationError && error.code === 'CUSTOMER_NOT_FOUND') return null;
      throw error;
    }
  }

  private async creditAccount(
    customer: Customer,
    policy: OrderPolicy,
  ): Promise<CreditAccountFigures> {
    if (policy.creditAccount === 'parent-account' && customer.parentErpId !== null) {
      const parent = await this.customer(customer.parentErpId);
      if (parent) {
        return {
          account: parent.erpId,
          creditLimit: parent.creditLimit,
          balanceDue: parent.balanceDue,
        };
      }
    }
    return {
      account: customer.erpId,
      creditLimit: customer.creditLimit,
      balanceDue: customer.balanceDue,
    };
  }

  private async allocateStock(
    demand: StockDemand[],
    channel: PlanningChannel,
    policy: OrderPolicy,
    preferred: string | null,
  ) {
    if (demand.length === 0) return [];
    const availability = await this.inventory.availability([...new Set(demand.map((d) => d.sku))], {
      channel: { channelId: channel.channelId, kind: channel.kind },
    });
    const atp = new Map<string, Map<string, Decimal>>();
    const seen = new Set<string>();
    for (const sku of availability) {
      const byWarehouse = new Map<string, Decimal>();
      for (const w of sku.warehouses) {
        byWarehouse.set(w.warehouse, new Decimal(w.atp));
        seen.add(w.warehouse);
      }
      atp.set(sku.sku, byWarehouse);
    }
    let warehouses = [...seen].sort();
    if (warehouses.length === 0) {
      // No stock anywhere the channel may sell from: everything backorders at the preferred
      // warehouse, else the first active one.
      const known = (await this.queryBus.execute(new GetWarehousesQuery()))
        .filter((w) => w.active)
        .map((w) => w.code);
      warehouses =
        preferred !== null && known.includes(preferred) ? [preferred] : known.slice(0, 1);
      if (warehouses.length === 0) {
        throw new ApplicationError(
          'NO_WAREHOUSE',
          'The hub knows no active warehouse to place stocked lines in; sync master data first.',
          'unavailable',
        );
      }
    } else if (preferred !== null && seen.has(preferred)) {
      warehouses = [preferred, ...warehouses.filter((w) => w !== preferred)];
    }
    return allocate({
      lines: demand,
      atp,
      warehouses,
      allowSplit: policy.allowSplitAcrossWarehouses,
    });
  }
}

/** The violations and adjustments the rules found, in the order the rules ran. */
class Findings {
  private readonly violations: OrderViolation[] = [];
  private readonly adjustments: OrderAdjustment[] = [];

  add(findings: RuleFindings): void {
    this.violations.push(...findings.violations);
    this.adjustments.push(...findings.adjustments);
  }

  has(code: OrderViolation['code']): boolean {
    return this.violations.some((v) => v.code === code);
  }

  result(): { violations: OrderViolation[]; adjustments: OrderAdjustment[] } {
    return { violations: this.violations, adjustments: this.adjustments };
  }
}
