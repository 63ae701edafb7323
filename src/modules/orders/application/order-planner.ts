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
import type { OneTimeAddress, OrderAdjustment, OrderShipTo, SegmentKind } from '../domain/order.js';
import { type OrderPolicy, withinTolerance } from '../domain/order-policy.js';
import type { OrderViolation } from '../domain/order-violation.js';

/** What a channel asked for (the validated request body). */
export interface OrderRequest {
  channelOrderRef: string;
  customerId: string;
  shipToId?: string | null;
  shipToAddress?: OneTimeAddress | null;
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

export interface PlannedLine {
  lineNo: number;
  lineRef: string;
  sku: string;
  quantity: string;
  uom: string;
  baseQuantity: string;
  baseUom: string;
  expectedUnitPrice: string | null;
  unitPrice: string;
  extendedPrice: string;
  priceSource: string | null;
  priceTrace: unknown[];
  fulfillmentType: SegmentKind;
  warehouse: string | null;
  supplierId: string | null;
  segmentNo: number;
  reservedQuantity: string;
  backorderedQuantity: string;
}

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

const SELLABLE = new Set(['ACTIVE']);

/**
 * Builds an order from a request: checks it against master data, prices it with the pricing
 * engine, places stocked lines in warehouses (inventory availability after the channel's rules)
 * and drop-ship lines with their suppliers, and lists every violation with its stable code. Reads
 * only; the capture handler stores the result.
 */
@Injectable()
export class OrderPlanner {
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
    const violations: OrderViolation[] = [];
    const adjustments: OrderAdjustment[] = [];
    const customer = await this.customer(request.customerId, channel.customerScope);
    const emptyPlan = (currency: string): OrderPlan => ({
      violations,
      adjustments,
      lines: [],
      segments: [],
      customer,
      shipTo: null,
      currency,
      priceVersion: '',
      pricingDate: '',
      total: '0',
      credit: null,
    });

    if (!customer) {
      violations.push({
        code: 'CUSTOMER_NOT_FOUND',
        field: 'customerId',
        message: `No customer with number ${request.customerId} is known to the hub.`,
      });
    } else if (customer.status === 'INACTIVE') {
      violations.push({
        code: 'CUSTOMER_INACTIVE',
        field: 'customerId',
        message: `Customer ${customer.erpId} is inactive in the ERP.`,
      });
    } else if (customer.status === 'BLOCKED') {
      violations.push({
        code: 'CUSTOMER_BLOCKED',
        field: 'customerId',
        message: `Customer ${customer.erpId} is blocked in the ERP.`,
      });
    }

    // A ship date before today (the hub's business day, as pricing counts it) cannot be met.
    const today = todayIn(this.config.pricing.timeZone, this.clock.now());
    if (request.requestedShipDate && request.requestedShipDate < today) {
      violations.push({
        code: 'REQUESTED_DATE_IN_PAST',
        field: 'requestedShipDate',
        message: `The requested ship date ${request.requestedShipDate} is before today (${today}).`,
      });
    }

    // Ship-to: one of the customer's codes, or a one-time address, or the customer's default.
    let shipTo: OrderShipTo = null;
    let shipToTaxArea: string | null = null;
    let preferredWarehouse: string | null = null;
    if (request.shipToId) {
      const known = customer?.shipTos.find(
        (s) => s.code.toUpperCase() === request.shipToId?.toUpperCase(),
      );
      if (customer && !known) {
        violations.push({
          code: 'SHIP_TO_INVALID',
          field: 'shipToId',
          message: `Customer ${customer.erpId} has no ship-to address ${request.shipToId}.`,
        });
      }
      if (known) {
        shipTo = { code: known.code };
        shipToTaxArea = known.taxAreaCode;
        preferredWarehouse = known.defaultWarehouseCode;
      }
    } else if (request.shipToAddress) {
      shipTo = { address: request.shipToAddress };
    } else if (customer && customer.shipTos.length > 0) {
      // No ship-to named: the customer's default, which both ERP adapters deliver first. Shown in
      // the answer; the ERP document still names none, so the ERP applies its own default.
      shipTo = { code: customer.shipTos[0].code, isDefault: true };
    }

    // Tax attributes: a tax-liable customer's order needs a tax area (the ship-to's or the
    // customer's) or an exemption certificate; a customer the ERP holds not liable is not taxed.
    if (customer?.taxLiable && customer.taxAreaCode === null && shipToTaxArea === null) {
      if (customer.taxExemptionNumber === null) {
        violations.push({
          code: 'TAX_ATTRIBUTES_MISSING',
          field: request.shipToId ? 'shipToId' : 'customerId',
          message: `Customer ${customer.erpId} has neither a tax area nor a tax exemption number in the ERP, so the order cannot be taxed.`,
        });
      }
    }

    const currency = (request.currency ?? customer?.currency ?? '').toUpperCase();
    if (customer && currency !== customer.currency) {
      violations.push({
        code: 'CURRENCY_NOT_ACCEPTED',
        field: 'currency',
        message: `Customer ${customer.erpId} is invoiced in ${customer.currency}, not ${currency}.`,
      });
    }

    // Items: known, sellable, UoM convertible.
    const skus = [...new Set(request.lines.map((l) => l.sku))];
    const items = new Map(
      (await this.queryBus.execute(new GetItemsQuery(skus))).map((i: Item) => [i.sku, i]),
    );
    const factors: (Decimal | null)[] = request.lines.map((line, i) => {
      const item = items.get(line.sku);
      const field = `lines[${i}]`;
      if (!item) {
        violations.push({
          code: 'ITEM_NOT_FOUND',
          field: `${field}.sku`,
          message: `No item with SKU ${line.sku} is known to the hub.`,
        });
        return null;
      }
      if (!SELLABLE.has(item.status)) {
        violations.push({
          code: 'ITEM_NOT_SELLABLE',
          field: `${field}.sku`,
          message:
            `Item ${item.sku} is ${item.status.toLowerCase()} and cannot be sold` +
            (item.substitutes.length > 0 ? `; substitutes: ${item.substitutes.join(', ')}.` : '.'),
          substitutes: item.substitutes,
        });
      }
      const conversion = item.uomConversions.find(
        (u) => u.uom.toUpperCase() === line.uom.toUpperCase(),
      );
      if (!conversion) {
        violations.push({
          code: 'UOM_NOT_CONVERTIBLE',
          field: `${field}.uom`,
          message: `Item ${item.sku} has no unit ${line.uom} (units: ${item.uomConversions
            .map((u) => u.uom)
            .join(', ')}).`,
        });
        return null;
      }
      if (isFractionOfCountedUnit(line.quantity, conversion.uom)) {
        violations.push({
          code: 'QUANTITY_NOT_DIVISIBLE',
          field: `${field}.quantity`,
          message: `${conversion.uom} is counted in whole units: ${line.quantity} ${line.uom} is not a whole number.`,
        });
        return null;
      }
      return new Decimal(conversion.factor);
    });

    if (!customer || violations.some((v) => v.code === 'CURRENCY_NOT_ACCEPTED')) {
      return emptyPlan(currency);
    }

    // Prices: the engine, for every line whose item and unit are known.
    const priceable = request.lines
      .map((line, index) => ({ line, index }))
      .filter(({ index }) => factors[index] !== null);
    let quote: PricedQuote | null = null;
    if (priceable.length > 0) {
      try {
        quote = await this.queryBus.execute(
          new PriceQuoteQuery({
            customerId: customer.erpId,
            shipToId: shipTo && 'code' in shipTo && !shipTo.isDefault ? shipTo.code : null,
            currency,
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
    const pricedByIndex = new Map<number, PricedQuote['lines'][number]>();
    priceable.forEach(({ index }, i) => {
      const priced = quote?.lines[i];
      if (priced) pricedByIndex.set(index, priced);
    });
    request.lines.forEach((line, index) => {
      if (factors[index] === null) return;
      const priced = pricedByIndex.get(index);
      const field = `lines[${index}]`;
      if (!priced || priced.status !== 'PRICED' || priced.unitPrice === null) {
        violations.push({
          code: 'NO_PRICE',
          field: `${field}.sku`,
          message:
            priced?.violations[0]?.message ??
            `The ERP's price data has no price for ${line.sku} per ${line.uom} for customer ${customer.erpId}.`,
        });
        return;
      }
      const expected = line.expectedUnitPrice ?? null;
      if (expected !== null && !withinTolerance(policy, expected, priced.unitPrice)) {
        violations.push({
          code: 'PRICE_MISMATCH',
          field: `${field}.expectedUnitPrice`,
          message: `Expected unit price ${expected} differs from the ERP's price ${priced.unitPrice} per ${line.uom} (source ${priced.source ?? 'unknown'}).`,
        });
        if (policy.actions.PRICE_MISMATCH === 'adjust') {
          adjustments.push({
            code: 'PRICE_MISMATCH',
            field: `${field}.expectedUnitPrice`,
            lineRef: line.lineRef,
            message: `Repriced to the ERP's price ${priced.unitPrice} per ${line.uom}.`,
            from: expected,
            to: priced.unitPrice,
          });
        }
      }
    });

    const unplaceable = request.lines.some(
      (_l, index) => factors[index] === null || !pricedByIndex.get(index)?.unitPrice,
    );
    if (unplaceable || !quote) return { ...emptyPlan(currency), shipTo };

    // Placement: drop-ship lines by supplier, stocked lines by warehouse.
    const stockDemand: StockDemand[] = [];
    request.lines.forEach((line, index) => {
      const item = items.get(line.sku) as Item;
      if (item.fulfillmentType === 'STOCK') {
        stockDemand.push({
          lineNo: index + 1,
          sku: line.sku,
          baseQuantity: new Decimal(line.quantity).times(factors[index] as Decimal),
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
      const factor = factors[index] as Decimal;
      const baseQuantity = new Decimal(line.quantity).times(factor);
      const allocation = allocations.get(index + 1);
      const stocked = item.fulfillmentType === 'STOCK';
      const warehouse = stocked ? (allocation?.warehouse ?? null) : null;
      const supplierId = stocked ? null : item.supplierId;
      if (allocation && allocation.short.greaterThan(0)) {
        violations.push({
          code: 'INSUFFICIENT_AVAILABILITY',
          field: `lines[${index}].quantity`,
          message: `Only ${allocation.reserved.toString()} of ${baseQuantity.toString()} ${item.baseUom} of ${item.sku} can be promised from ${allocation.warehouse}; ${allocation.short.toString()} would be backordered.`,
        });
        if (policy.actions.INSUFFICIENT_AVAILABILITY === 'adjust') {
          adjustments.push({
            code: 'INSUFFICIENT_AVAILABILITY',
            field: `lines[${index}].quantity`,
            lineRef: line.lineRef,
            message: `${allocation.short.toString()} ${item.baseUom} backordered at ${allocation.warehouse}.`,
            from: baseQuantity.toString(),
            to: allocation.reserved.toString(),
          });
        }
      }
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
    const total = lines
      .reduce((sum, l) => sum.plus(l.extendedPrice), new Decimal(0))
      .toFixed(quote.totals.subtotal.split('.')[1]?.length ?? 2);

    return {
      violations,
      adjustments,
      lines,
      segments,
      customer,
      shipTo,
      currency,
      priceVersion: quote.priceVersion,
      pricingDate: quote.pricingDate,
      total,
      credit: await this.creditAccount(customer, policy),
    };
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
