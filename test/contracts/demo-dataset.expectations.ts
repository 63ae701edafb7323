import { Decimal } from 'decimal.js';
import type {
  DemoCustomer,
  DemoDataset,
  DemoItem,
  DemoWarehouse,
} from '../../src/erp-simulators/demo-data/index.js';
import type { Customer, Item, Warehouse } from '../../src/modules/master-data/index.js';

/**
 * What a faithful adapter must make of the demo dataset, whichever ERP holds it. The meanings
 * the ERPs disagree on are settled here once:
 * - credit limit 0 on cash terms (COD, prepaid: due at once) = no credit, "0"; the cloud ERP's
 *   blank (0) elsewhere would mean "no limit", but the dataset has none;
 * - ship-tos default first, then by code; units of measure base first, then by code;
 *   substitutes by priority, then SKU;
 * - a drop-ship item names its supplier; a stock item's primary vendor is not canonical.
 * Decimals are compared in canonical spelling (money 4 places, factors without trailing zeros):
 * the hub normalises them, so "25000.00" and "25000.0000" are the same amount.
 */
export function expectedCustomer(dataset: DemoDataset, c: DemoCustomer): Customer {
  const terms = dataset.paymentTerms.find((t) => t.code === c.paymentTermsCode);
  const cash = terms !== undefined && terms.dueDays === 0;
  const zero = new Decimal(c.creditLimit).isZero();
  return normaliseCustomer({
    erpId: c.customerNo,
    name: c.name,
    parentErpId: c.parentCustomerNo,
    status: c.status,
    creditLimit: zero && !cash ? null : c.creditLimit,
    balanceDue: c.balanceDue,
    paymentTerms: c.paymentTermsCode,
    currency: c.currencyCode,
    taxAreaCode: c.taxAreaCode,
    taxExemptionNumber: c.taxExemptionNo,
    taxLiable: c.taxLiable,
    email: c.email,
    phone: c.phone,
    website: c.website,
    address: {
      addressLines: [c.addressLine1, c.addressLine2].filter((l): l is string => !!l),
      city: c.city,
      region: c.state,
      postalCode: c.postalCode,
      country: c.country,
    },
    shipTos: dataset.shipTos
      .filter((s) => s.customerNo === c.customerNo)
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || byText(a.code, b.code))
      .map((s) => ({
        code: s.code,
        name: s.name,
        addressLines: [s.addressLine1, s.addressLine2].filter((l): l is string => !!l),
        city: s.city,
        region: s.state,
        postalCode: s.postalCode,
        country: s.country,
        defaultWarehouseCode: s.warehouseCode,
        taxAreaCode: s.taxAreaCode,
      })),
  });
}

export function expectedItem(item: DemoItem): Item {
  return normaliseItem({
    sku: item.sku,
    description: item.description,
    baseUom: item.baseUom,
    uomConversions: [...item.uoms]
      .sort((a, b) => Number(b.isBase) - Number(a.isBase) || byText(a.uomCode, b.uomCode))
      .map((u) => ({ uom: u.uomCode, factor: u.factor })),
    itemGroup: item.itemGroupCode,
    status: item.status,
    fulfillmentType: item.fulfillmentType,
    supplierId: item.fulfillmentType === 'DROP_SHIP' ? item.supplierNo : null,
    lotControlled: item.lotControlled,
    substitutes: [...item.substitutes]
      .sort((a, b) => a.priority - b.priority || byText(a.sku, b.sku))
      .map((s) => s.sku),
    gtin: item.gtin,
    taxGroupCode: item.taxGroupCode,
  });
}

export function expectedWarehouse(w: DemoWarehouse): Warehouse {
  return normaliseWarehouse({
    code: w.code,
    name: w.name,
    address: {
      addressLines: [w.addressLine1, w.addressLine2].filter((l): l is string => !!l),
      city: w.city,
      region: w.state,
      postalCode: w.postalCode,
      country: w.country,
    },
    active: true,
  });
}

/** The spelling the hub stores: blank texts null, money with 4 places, orders fixed. */
export function normaliseCustomer(c: Customer): Customer {
  return {
    ...c,
    parentErpId: blank(c.parentErpId),
    creditLimit: c.creditLimit === null ? null : money(c.creditLimit),
    balanceDue: money(c.balanceDue),
    paymentTerms: blank(c.paymentTerms),
    taxAreaCode: blank(c.taxAreaCode),
    taxExemptionNumber: blank(c.taxExemptionNumber),
    email: blank(c.email),
    phone: blank(c.phone),
    website: blank(c.website),
    address: c.address
      ? {
          ...c.address,
          city: blank(c.address.city),
          region: blank(c.address.region),
          postalCode: blank(c.address.postalCode),
          country: blank(c.address.country),
        }
      : null,
    shipTos: c.shipTos.map((s) => ({
      ...s,
      region: blank(s.region),
      postalCode: blank(s.postalCode),
      defaultWarehouseCode: blank(s.defaultWarehouseCode),
      taxAreaCode: blank(s.taxAreaCode),
    })),
  };
}

export function normaliseItem(i: Item): Item {
  const base = i.uomConversions.filter((u) => u.uom === i.baseUom);
  const others = i.uomConversions.filter((u) => u.uom !== i.baseUom);
  return {
    ...i,
    itemGroup: blank(i.itemGroup),
    supplierId: blank(i.supplierId),
    gtin: blank(i.gtin),
    taxGroupCode: blank(i.taxGroupCode),
    uomConversions: [...base, ...others].map((u) => ({ uom: u.uom, factor: factor(u.factor) })),
  };
}

export function normaliseWarehouse(w: Warehouse): Warehouse {
  return {
    ...w,
    address: w.address
      ? { ...w.address, region: blank(w.address.region), postalCode: blank(w.address.postalCode) }
      : null,
  };
}

/** A decimal string the canonical way, failing the test on anything that is not one. */
function money(value: string): string {
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) {
    throw new Error(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return new Decimal(value).toFixed(4);
}

function factor(value: string): string {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
    throw new Error(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return new Decimal(value).toFixed();
}

function blank(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
