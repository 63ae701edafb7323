/**
 * The demo dataset: plain records, the same for the on-prem ERP database and the cloud ERP
 * sandbox. Money, prices, quantities, factors and percentages are decimal strings; dates are
 * `YYYY-MM-DD`; instants are ISO 8601 UTC with milliseconds. `id` is a GUID the cloud sandbox
 * uses as the Business Central `id`; the on-prem schema keys rows by the natural keys instead.
 * `lastModified` is the record's last change as the cloud sandbox reports it (the on-prem
 * database stamps `updated_at` itself, by trigger, when the rows are loaded).
 */

export type CustomerStatus = 'ACTIVE' | 'INACTIVE' | 'BLOCKED';
export type ItemStatus = 'ACTIVE' | 'DISCONTINUED' | 'BLOCKED';
export type FulfillmentType = 'STOCK' | 'DROP_SHIP';
export type PriceListType = 'BASE' | 'CUSTOMER';
export type ContractPriceType = 'FIXED' | 'PERCENT_OFF';
export type PromotionDiscountType = 'PERCENT_OFF' | 'AMOUNT_OFF';
export type PromotionScopeType = 'ITEM' | 'ITEM_GROUP' | 'CUSTOMER';

export interface DemoAddress {
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  /** State / province / region code, e.g. `OH`, `ON`, `NW`. */
  state: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface DemoCurrency {
  id: string;
  code: string;
  description: string;
  symbol: string;
  lastModified: string;
}

export interface DemoPaymentTerms {
  id: string;
  code: string;
  description: string;
  dueDays: number;
  discountDays: number;
  discountPercent: string;
  lastModified: string;
}

export interface DemoTaxArea {
  id: string;
  code: string;
  description: string;
  country: string;
  /** Combined sales-tax / VAT rate in percent, e.g. `"7.2500"`. */
  ratePercent: string;
  lastModified: string;
}

export interface DemoTaxGroup {
  id: string;
  code: string;
  description: string;
  lastModified: string;
}

export interface DemoUnitOfMeasure {
  id: string;
  code: string;
  description: string;
  /** UN/ECE Recommendation 20 code. */
  internationalStandardCode: string;
  lastModified: string;
}

export interface DemoWarehouse extends DemoAddress {
  id: string;
  code: string;
  name: string;
  phone: string;
  email: string;
  lastModified: string;
}

export interface DemoSupplier extends DemoAddress {
  id: string;
  supplierNo: string;
  name: string;
  phone: string;
  email: string;
  currencyCode: string;
  paymentTermsCode: string;
  /** Ships straight to the distributor's customers (drop-ship items name such a supplier). */
  dropShip: boolean;
  leadTimeDays: number;
  status: 'ACTIVE' | 'INACTIVE';
  lastModified: string;
}

export interface DemoItemGroup {
  id: string;
  code: string;
  description: string;
  lastModified: string;
}

export interface DemoItemUom {
  id: string;
  uomCode: string;
  /** Quantity of the item's base UoM in one of this UoM, exact (e.g. `"12"`, `"6.5"`, `"3.785412"`). */
  factor: string;
  isBase: boolean;
}

export interface DemoItemSubstitute {
  id: string;
  sku: string;
  /** 1 = preferred. */
  priority: number;
}

export interface DemoItem {
  id: string;
  sku: string;
  description: string;
  itemGroupCode: string;
  baseUom: string;
  /** Every UoM the item is sold in, the base UoM first (factor `"1"`). */
  uoms: DemoItemUom[];
  status: ItemStatus;
  fulfillmentType: FulfillmentType;
  /** Drop-ship items: the supplier that ships them (always set). Stock items: the primary vendor. */
  supplierNo: string | null;
  lotControlled: boolean;
  substitutes: DemoItemSubstitute[];
  /** GTIN-13 of the base unit. */
  gtin: string;
  unitCost: string;
  /** Weight of one base unit in kg. */
  weightKg: string;
  /** `TAXABLE` or `EXEMPT` (e.g. some food service items). */
  taxClass: 'TAXABLE' | 'EXEMPT';
  /** Sales-tax group (one of `taxGroups`); `NONTAXABLE` for exempt items. */
  taxGroupCode: string;
  lastModified: string;
}

export interface DemoCustomer extends DemoAddress {
  id: string;
  customerNo: string;
  name: string;
  /** Set on child accounts: the parent (bill-to / corporate) account. */
  parentCustomerNo: string | null;
  status: CustomerStatus;
  creditLimit: string;
  balanceDue: string;
  paymentTermsCode: string;
  currencyCode: string;
  /** `null` means tax data is missing (a data-quality case the hub must catch). */
  taxAreaCode: string | null;
  taxExemptionNo: string | null;
  /** False for exempt customers. */
  taxLiable: boolean;
  /** VAT / GST registration number (EU and Canadian accounts). */
  taxRegistrationNo: string | null;
  phone: string;
  email: string;
  /** Child accounts share their parent's; some customers have none. */
  website: string | null;
  salespersonCode: string;
  /** Customer-specific price list (own or inherited from the parent account). */
  priceListCode: string | null;
  defaultWarehouseCode: string;
  lastModified: string;
}

export interface DemoShipTo extends DemoAddress {
  id: string;
  customerNo: string;
  code: string;
  name: string;
  contact: string | null;
  phone: string | null;
  /** `null` means tax data is missing on this ship-to. */
  taxAreaCode: string | null;
  taxExemptionNo: string | null;
  warehouseCode: string;
  isDefault: boolean;
  lastModified: string;
}

export interface DemoPriceList {
  id: string;
  code: string;
  description: string;
  type: PriceListType;
  currencyCode: string;
  /** Owner of a CUSTOMER list; child accounts of that customer use it too. */
  customerNo: string | null;
  validFrom: string;
  validTo: string | null;
  lastModified: string;
}

export interface DemoPriceBreak {
  id: string;
  /** Minimum quantity, in the line's UoM, from which `unitPrice` applies. */
  minQty: string;
  unitPrice: string;
}

export interface DemoPriceListLine {
  id: string;
  priceListCode: string;
  sku: string;
  uomCode: string;
  /** Price per one `uomCode` for quantities below the first break. */
  unitPrice: string;
  /** Quantity-break tiers, ascending by minQty (may be empty). */
  breaks: DemoPriceBreak[];
  lastModified: string;
}

export interface DemoContract {
  id: string;
  contractNo: string;
  description: string;
  /** A customer, or a parent account (then it applies to the child accounts too). */
  customerNo: string;
  /** Exactly one of sku / itemGroupCode is set. */
  sku: string | null;
  itemGroupCode: string | null;
  priceType: ContractPriceType;
  /** FIXED only (item scope): price per `uomCode`. */
  fixedPrice: string | null;
  uomCode: string | null;
  currencyCode: string;
  /** PERCENT_OFF only: off the price the customer would otherwise pay. */
  discountPercent: string | null;
  /** Minimum quantity in the item's base UoM, if any. */
  minQty: string | null;
  validFrom: string;
  validTo: string | null;
  lastModified: string;
}

export interface DemoPromotionScope {
  id: string;
  scopeNo: number;
  type: PromotionScopeType;
  /** Item SKU, item group code or customer number. */
  code: string;
}

export interface DemoPromotion {
  id: string;
  code: string;
  description: string;
  discountType: PromotionDiscountType;
  discountPercent: string | null;
  /** AMOUNT_OFF: amount off per base unit, in `currencyCode`. */
  discountAmount: string | null;
  currencyCode: string | null;
  /** Minimum quantity in the item's base UoM, if any. */
  minQty: string | null;
  validFrom: string;
  validTo: string;
  status: 'ACTIVE' | 'INACTIVE';
  /**
   * ITEM / ITEM_GROUP rows say what the promotion applies to; CUSTOMER rows, when present,
   * restrict it to those customers (and their child accounts). No CUSTOMER row = every customer.
   */
  scopes: DemoPromotionScope[];
  lastModified: string;
}

export interface DemoInventoryBalance {
  id: string;
  sku: string;
  warehouseCode: string;
  /** `null` for items that are not lot-controlled. */
  lotNo: string | null;
  expiryDate: string | null;
  /** Quantities in the item's base UoM. */
  onHand: string;
  /** Allocated by the ERP to open orders. */
  allocated: string;
  lastModified: string;
}

export interface DemoDataset {
  seed: number;
  scale: number;
  /** Every date and timestamp in the dataset derives from this instant. */
  baseDate: string;
  company: { id: string; name: string; baseCurrencyCode: string };
  currencies: DemoCurrency[];
  paymentTerms: DemoPaymentTerms[];
  taxAreas: DemoTaxArea[];
  taxGroups: DemoTaxGroup[];
  unitsOfMeasure: DemoUnitOfMeasure[];
  warehouses: DemoWarehouse[];
  suppliers: DemoSupplier[];
  itemGroups: DemoItemGroup[];
  items: DemoItem[];
  /** Parents come before their children. */
  customers: DemoCustomer[];
  shipTos: DemoShipTo[];
  priceLists: DemoPriceList[];
  priceListLines: DemoPriceListLine[];
  contracts: DemoContract[];
  promotions: DemoPromotion[];
  inventoryBalances: DemoInventoryBalance[];
}

export interface DemoDatasetOptions {
  /** PRNG seed (default 20250106). */
  seed?: number;
  /** Multiplies customers, items, contracts and promotions (default 1; 10 for benchmarks). */
  scale?: number;
}
