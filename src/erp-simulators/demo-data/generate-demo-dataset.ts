import type {
  CustomerStatus,
  DemoContract,
  DemoCurrency,
  DemoCustomer,
  DemoDataset,
  DemoDatasetOptions,
  DemoInventoryBalance,
  DemoItem,
  DemoItemGroup,
  DemoItemUom,
  DemoPaymentTerms,
  DemoPriceBreak,
  DemoPriceList,
  DemoPriceListLine,
  DemoPromotion,
  DemoPromotionScope,
  DemoShipTo,
  DemoSupplier,
  DemoTaxArea,
  DemoTaxGroup,
  DemoUnitOfMeasure,
  DemoWarehouse,
  ItemStatus,
} from './demo-dataset.types.js';
import {
  CA_PLACES,
  COMPANY_WORDS,
  CURRENCIES,
  EU_PLACES,
  ITEM_GROUPS,
  type ItemGroupTemplate,
  PAYMENT_TERMS,
  type Place,
  PROMOTION_THEMES,
  SALESPEOPLE,
  SUPPLIER_WORDS,
  TAX_GROUP_OF_ITEM_GROUP,
  TAX_GROUPS,
  TAX_RATES,
  UNITS_OF_MEASURE,
  UOM_OPTIONS,
  US_PLACES,
  WAREHOUSES,
} from './reference-data.js';
import { format, micro, type Micro, money, mul, percentOff } from './fixed-point.js';
import { SeededRandom } from './seeded-random.js';

export const DEMO_DEFAULT_SEED = 20250106;
/** The fixed "now" of the dataset: no timestamp depends on the wall clock. */
export const DEMO_BASE_DATE = '2025-01-06T08:00:00.000Z';

/** Per scale unit. */
export const DEMO_COUNTS = {
  customers: 200,
  items: 2000,
  suppliers: 30,
  contracts: 525,
  promotions: 50,
} as const;

const BASE_MS = Date.parse(DEMO_BASE_DATE);
const DAY_MS = 86_400_000;

/**
 * Generates the demo dataset: pure and deterministic (same seed and scale, same output, byte for
 * byte). Scale multiplies customers, items, suppliers, contracts and promotions; warehouses stay 3.
 */
export function generateDemoDataset(options: DemoDatasetOptions = {}): DemoDataset {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new RangeError(`scale must be > 0 and <= 100 (got ${scale})`);
  }
  return new Generator(seed, scale).run();
}

class Generator {
  private readonly rng: SeededRandom;
  private readonly count: Record<keyof typeof DEMO_COUNTS, number>;
  /** Base-list USD price per item and UoM, reused for the other currencies and contracts. */
  private readonly usdPrice = new Map<string, Micro>();

  constructor(
    private readonly seed: number,
    private readonly scale: number,
  ) {
    this.rng = new SeededRandom(seed);
    const n = (base: number): number => Math.max(1, Math.round(base * scale));
    this.count = {
      customers: n(DEMO_COUNTS.customers),
      items: n(DEMO_COUNTS.items),
      suppliers: n(DEMO_COUNTS.suppliers),
      contracts: n(DEMO_COUNTS.contracts),
      promotions: n(DEMO_COUNTS.promotions),
    };
  }

  run(): DemoDataset {
    const company = {
      id: this.rng.uuid(),
      name: 'Crossdock Demo Distribution',
      baseCurrencyCode: 'USD',
    };
    const currencies = this.currencies();
    const paymentTerms = this.paymentTerms();
    const taxAreas = this.taxAreas();
    const unitsOfMeasure = this.unitsOfMeasure();
    const warehouses = this.warehouses();
    const suppliers = this.suppliers();
    const itemGroups = this.itemGroups();
    const items = this.items(suppliers);
    const { customers, shipTos } = this.customers();
    const priceLists: DemoPriceList[] = [];
    const priceListLines: DemoPriceListLine[] = [];
    this.basePriceLists(items, priceLists, priceListLines);
    this.customerPriceLists(items, customers, priceLists, priceListLines);
    const contracts = this.contracts(items, customers);
    const promotions = this.promotions(items, customers);
    const inventoryBalances = this.inventory(items);
    // Drawn last: the tables added later leave every earlier value of a seed as it was.
    const taxGroups = this.taxGroups();
    return {
      seed: this.seed,
      scale: this.scale,
      baseDate: DEMO_BASE_DATE,
      company,
      currencies,
      paymentTerms,
      taxAreas,
      taxGroups,
      unitsOfMeasure,
      warehouses,
      suppliers,
      itemGroups,
      items,
      customers,
      shipTos,
      priceLists,
      priceListLines,
      contracts,
      promotions,
      inventoryBalances,
    };
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A last-modified instant within the 400 days before the base date. */
  private stamp(): string {
    const minutes = this.rng.int(1, 400 * 24 * 60);
    return isoInstant(BASE_MS - minutes * 60_000 - this.rng.int(0, 59_999));
  }

  private date(offsetDays: number): string {
    return new Date(BASE_MS + offsetDays * DAY_MS).toISOString().slice(0, 10);
  }

  private pickCount(fraction: number, minimum: number, of: number): number {
    return Math.min(of, Math.max(minimum, Math.round(of * fraction)));
  }

  private digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.rng.int(0, 9));
    return out;
  }

  private phone(country: string): string {
    if (country === 'US' || country === 'CA') {
      return `+1 ${this.rng.int(201, 989)} 555 ${this.digits(4)}`;
    }
    const prefix: Record<string, string> = {
      DE: '+49 211',
      NL: '+31 10',
      FR: '+33 4',
      IE: '+353 1',
    };
    return `${prefix[country] ?? '+44 20'} 555 ${this.digits(4)}`;
  }

  private postalCode(place: Place): string {
    if (place.country === 'US') return `${place.zip}${this.digits(2)}`;
    if (place.country === 'CA') {
      const letter = String.fromCharCode(65 + this.rng.int(0, 25));
      return `${place.zip} ${this.rng.int(1, 9)}${letter}${this.rng.int(1, 9)}`;
    }
    if (place.country === 'IE') return `${place.zip} ${this.digits(2)}X${this.digits(1)}`;
    return `${place.zip}${this.digits(2)}`;
  }

  private street(): string {
    return `${this.rng.int(100, 9999)} ${this.rng.pick(COMPANY_WORDS.streets)}`;
  }

  // ---- reference tables ----------------------------------------------------------------------

  private currencies(): DemoCurrency[] {
    return CURRENCIES.map((c) => ({
      id: this.rng.uuid(),
      code: c.code,
      description: c.description,
      symbol: c.symbol,
      lastModified: this.stamp(),
    }));
  }

  private paymentTerms(): DemoPaymentTerms[] {
    return PAYMENT_TERMS.map((t) => ({
      id: this.rng.uuid(),
      code: t.code,
      description: t.description,
      dueDays: t.dueDays,
      discountDays: t.discountDays,
      discountPercent: t.discountPercent,
      lastModified: this.stamp(),
    }));
  }

  private taxAreas(): DemoTaxArea[] {
    return Object.entries(TAX_RATES).map(([code, t]) => ({
      id: this.rng.uuid(),
      code,
      description: t.description,
      country: code.startsWith('US-') ? 'US' : code.startsWith('CA-') ? 'CA' : code.slice(3),
      ratePercent: t.rate,
      lastModified: this.stamp(),
    }));
  }

  private taxGroups(): DemoTaxGroup[] {
    return TAX_GROUPS.map((g) => ({
      id: this.rng.uuid(),
      code: g.code,
      description: g.description,
      lastModified: this.stamp(),
    }));
  }

  private unitsOfMeasure(): DemoUnitOfMeasure[] {
    return UNITS_OF_MEASURE.map((u) => ({
      id: this.rng.uuid(),
      code: u.code,
      description: u.description,
      internationalStandardCode: u.unece,
      lastModified: this.stamp(),
    }));
  }

  private warehouses(): DemoWarehouse[] {
    return WAREHOUSES.map((w) => ({
      id: this.rng.uuid(),
      code: w.code,
      name: w.name,
      addressLine1: w.addressLine1,
      addressLine2: null,
      city: w.city,
      state: w.state,
      postalCode: w.postalCode,
      country: w.country,
      phone: w.phone,
      email: `${w.code.toLowerCase()}.dc@crossdock-demo.example.com`,
      lastModified: this.stamp(),
    }));
  }

  private suppliers(): DemoSupplier[] {
    const out: DemoSupplier[] = [];
    for (let i = 0; i < this.count.suppliers; i++) {
      const place = this.rng.chance(0.9) ? this.rng.pick(US_PLACES) : this.rng.pick(CA_PLACES);
      const name = `${this.rng.pick(SUPPLIER_WORDS.first)} ${this.rng.pick(SUPPLIER_WORDS.second)} ${this.rng.pick(COMPANY_WORDS.suffix)}`;
      out.push({
        id: this.rng.uuid(),
        supplierNo: `V${20001 + i}`,
        name,
        addressLine1: this.street(),
        addressLine2: null,
        city: place.city,
        state: place.state,
        postalCode: this.postalCode(place),
        country: place.country,
        phone: this.phone(place.country),
        email: `orders@${slug(name)}.example.com`,
        currencyCode: place.country === 'CA' ? 'CAD' : 'USD',
        paymentTermsCode: this.rng.pick(['NET30', 'NET45', '2/10NET30']),
        // Every third supplier at least can drop-ship, so drop-ship items always find one.
        dropShip: i % 3 === 0 || this.rng.chance(0.25),
        leadTimeDays: this.rng.int(2, 21),
        status: 'ACTIVE',
        lastModified: this.stamp(),
      });
    }
    return out;
  }

  private itemGroups(): DemoItemGroup[] {
    return ITEM_GROUPS.map((g) => ({
      id: this.rng.uuid(),
      code: g.code,
      description: g.description,
      lastModified: this.stamp(),
    }));
  }

  // ---- items ---------------------------------------------------------------------------------

  private items(suppliers: DemoSupplier[]): DemoItem[] {
    const dropShippers = suppliers.filter((s) => s.dropShip);
    const items: DemoItem[] = [];
    const groupOf = new Map<string, ItemGroupTemplate>();
    for (let i = 0; i < this.count.items; i++) {
      const group = this.rng.pick(ITEM_GROUPS);
      const sku = `${group.prefix}-${10001 + i}`;
      groupOf.set(sku, group);
      const dropShip = this.rng.chance(group.dropShipChance);
      const costCents = this.rng.int(group.costCents[0], group.costCents[1]);
      const item: DemoItem = {
        id: this.rng.uuid(),
        sku,
        description: `${this.rng.pick(group.nouns)} ${this.rng.pick(group.variants)}`,
        itemGroupCode: group.code,
        baseUom: UOM_OPTIONS[group.family].base,
        uoms: this.itemUoms(group),
        status: 'ACTIVE',
        fulfillmentType: dropShip ? 'DROP_SHIP' : 'STOCK',
        supplierNo: dropShip
          ? this.rng.pick(dropShippers).supplierNo
          : this.rng.chance(0.9)
            ? this.rng.pick(suppliers).supplierNo
            : null,
        lotControlled: !dropShip && this.rng.chance(group.lotChance),
        substitutes: [],
        gtin: gtin13(`061414${String(i + 1).padStart(6, '0')}`),
        unitCost: format(micro(costCents) / 100n, 2),
        weightKg: format(micro(this.rng.int(5, 25_000)) / 1000n, 3),
        taxClass: this.rng.chance(group.taxExemptChance) ? 'EXEMPT' : 'TAXABLE',
        taxGroupCode: '',
        lastModified: this.stamp(),
      };
      // Derived after the draws above, which every seed's later values depend on.
      item.taxGroupCode =
        item.taxClass === 'EXEMPT' ? 'NONTAXABLE' : TAX_GROUP_OF_ITEM_GROUP[group.code];
      items.push(item);
    }
    // Exact shares, so every seed has discontinued and blocked items.
    const order = this.rng.shuffle(items.map((_, i) => i));
    const discontinued = this.pickCount(0.07, 1, items.length);
    const blocked = this.pickCount(0.02, 1, items.length - discontinued);
    order.forEach((index, k) => {
      const status: ItemStatus =
        k < discontinued ? 'DISCONTINUED' : k < discontinued + blocked ? 'BLOCKED' : 'ACTIVE';
      items[index].status = status;
    });
    this.substitutes(items);
    return items;
  }

  private itemUoms(group: ItemGroupTemplate): DemoItemUom[] {
    const options = UOM_OPTIONS[group.family];
    const uoms: DemoItemUom[] = [
      { id: this.rng.uuid(), uomCode: options.base, factor: '1', isBase: true },
    ];
    const extraCount = this.rng.int(1, options.extras.length);
    const chosen = this.rng.sample(options.extras, extraCount);
    // Keep the family's natural order (pack < box < case) so listings read sensibly.
    for (const [code, factors] of options.extras) {
      if (!chosen.some(([c]) => c === code)) continue;
      uoms.push({
        id: this.rng.uuid(),
        uomCode: code,
        factor: this.rng.pick(factors),
        isBase: false,
      });
    }
    const caseUom = uoms.find((u) => u.uomCode === 'CS');
    if (group.family === 'EACH' && caseUom && this.rng.chance(0.25)) {
      uoms.push({
        id: this.rng.uuid(),
        uomCode: 'PL',
        factor: String(Number(caseUom.factor) * this.rng.pick([20, 40, 60])),
        isBase: false,
      });
    }
    return uoms;
  }

  private substitutes(items: DemoItem[]): void {
    const activeByGroup = new Map<string, DemoItem[]>();
    for (const item of items) {
      if (item.status !== 'ACTIVE') continue;
      const list = activeByGroup.get(item.itemGroupCode) ?? [];
      list.push(item);
      activeByGroup.set(item.itemGroupCode, list);
    }
    for (const item of items) {
      const wanted =
        item.status === 'DISCONTINUED'
          ? this.rng.chance(0.85)
            ? this.rng.int(1, 2)
            : 0
          : item.status === 'ACTIVE' && this.rng.chance(0.04)
            ? 1
            : 0;
      if (wanted === 0) continue;
      const candidates = (activeByGroup.get(item.itemGroupCode) ?? []).filter((c) => c !== item);
      this.rng.sample(candidates, wanted).forEach((sub, k) => {
        item.substitutes.push({ id: this.rng.uuid(), sku: sub.sku, priority: k + 1 });
      });
    }
  }

  // ---- customers -----------------------------------------------------------------------------

  private customers(): { customers: DemoCustomer[]; shipTos: DemoShipTo[] } {
    const customers: DemoCustomer[] = [];
    const children = new Map<string, DemoCustomer[]>();
    while (customers.length < this.count.customers) {
      const remaining = this.count.customers - customers.length;
      const region = this.rng.weighted<'US' | 'CA' | 'EU'>([
        ['US', 0.85],
        ['CA', 0.08],
        ['EU', 0.07],
      ]);
      const places = region === 'US' ? US_PLACES : region === 'CA' ? CA_PLACES : EU_PLACES;
      const baseName = `${this.rng.pick(COMPANY_WORDS.first)} ${this.rng.pick(COMPANY_WORDS.second)}`;
      if (remaining >= 3 && this.rng.chance(0.2)) {
        const parent = this.customer(customers.length, baseName, places, null);
        customers.push(parent);
        const kids = Math.min(this.rng.int(2, 6), remaining - 1);
        const list: DemoCustomer[] = [];
        for (let k = 0; k < kids; k++) {
          const child = this.customer(customers.length, baseName, places, parent);
          customers.push(child);
          list.push(child);
        }
        children.set(parent.customerNo, list);
      } else {
        customers.push(this.customer(customers.length, baseName, places, null));
      }
    }
    this.customerScenarios(customers);
    const shipTos: DemoShipTo[] = [];
    for (const customer of customers) shipTos.push(...this.shipTos(customer, children));
    // A few non-default ship-tos with no tax area, beside the customers missing tax data.
    const others = shipTos.filter((s) => !s.isDefault && s.country === 'US');
    for (const s of this.rng.sample(others, this.pickCount(0.02, 1, others.length))) {
      s.taxAreaCode = null;
    }
    return { customers, shipTos };
  }

  private customer(
    index: number,
    baseName: string,
    places: Place[],
    parent: DemoCustomer | null,
  ): DemoCustomer {
    const place = this.rng.pick(places);
    const customerNo = `C${10001 + index}`;
    const name = parent
      ? `${baseName} - ${place.city}`
      : `${baseName} ${this.rng.pick(COMPANY_WORDS.suffix)}`;
    const terms =
      parent && this.rng.chance(0.8)
        ? parent.paymentTermsCode
        : this.rng.weighted<string>([
            ['NET30', 0.55],
            ['NET45', 0.12],
            ['NET60', 0.08],
            ['2/10NET30', 0.12],
            ['COD', 0.08],
            ['PREPAID', 0.05],
          ]);
    const cashTerms = terms === 'COD' || terms === 'PREPAID';
    const limit = cashTerms
      ? 0
      : this.rng.pick(
          parent === null && index % 7 === 0
            ? [100_000, 250_000, 500_000]
            : [5_000, 10_000, 15_000, 25_000, 50_000, 75_000, 100_000],
        );
    // Whole dollars times a whole percent: exact in cents.
    const balanceCents = limit * this.rng.int(0, 85);
    const currencyCode = place.country === 'US' ? 'USD' : place.country === 'CA' ? 'CAD' : 'EUR';
    const exempt = place.country === 'US' && this.rng.chance(0.12);
    const taxRegistrationNo =
      place.country === 'CA'
        ? `${this.digits(9)}RT0001`
        : place.country === 'US'
          ? null
          : `${place.country}${this.digits(9)}`;
    return {
      id: this.rng.uuid(),
      customerNo,
      name,
      parentCustomerNo: parent?.customerNo ?? null,
      status: 'ACTIVE',
      creditLimit: format(micro(limit), 2),
      balanceDue: format(micro(balanceCents) / 100n, 2),
      paymentTermsCode: terms,
      currencyCode,
      taxAreaCode: place.taxArea,
      taxExemptionNo: exempt ? `${place.state}-EX-${this.digits(6)}` : null,
      taxLiable: !exempt,
      taxRegistrationNo,
      addressLine1: this.street(),
      addressLine2: this.rng.chance(0.3) ? `Suite ${this.rng.int(100, 990)}` : null,
      city: place.city,
      state: place.state,
      postalCode: this.postalCode(place),
      country: place.country,
      phone: this.phone(place.country),
      email: `ap@${slug(name)}.example.com`,
      // Derived, not drawn: every other value of a seed stays as it was.
      website: parent
        ? parent.website
        : index % 5 === 4
          ? null
          : `https://www.${slug(name)}.example.com`,
      salespersonCode: parent?.salespersonCode ?? this.rng.pick(SALESPEOPLE),
      priceListCode: null,
      defaultWarehouseCode: place.warehouse,
      lastModified: this.stamp(),
    };
  }

  /** Exact counts of the data-quality cases, on distinct customers, for every seed. */
  private customerScenarios(customers: DemoCustomer[]): void {
    const order = this.rng.shuffle(customers.map((_, i) => i));
    const n = customers.length;
    const inactive = this.pickCount(0.04, 2, n);
    const blocked = this.pickCount(0.03, 2, n);
    let k = 0;
    const take = (count: number, accept: (c: DemoCustomer) => boolean): DemoCustomer[] => {
      const out: DemoCustomer[] = [];
      while (k < order.length && out.length < count) {
        const c = customers[order[k++]];
        if (accept(c)) out.push(c);
      }
      return out;
    };
    const setStatus = (list: DemoCustomer[], status: CustomerStatus): void => {
      for (const c of list) c.status = status;
    };
    setStatus(
      take(inactive, () => true),
      'INACTIVE',
    );
    setStatus(
      take(blocked, () => true),
      'BLOCKED',
    );
    for (const c of take(this.pickCount(0.05, 3, n), (c) => c.creditLimit !== '0.00')) {
      const over = (micro(c.creditLimit) * BigInt(this.rng.int(105, 160))) / 100n;
      c.balanceDue = format(over, 2);
    }
    for (const c of take(this.pickCount(0.04, 2, n), (c) => c.taxExemptionNo === null)) {
      c.taxAreaCode = null;
    }
  }

  private shipTos(customer: DemoCustomer, children: Map<string, DemoCustomer[]>): DemoShipTo[] {
    const isParent = children.has(customer.customerNo);
    const count = isParent ? 1 : this.rng.int(1, 4);
    const places =
      customer.country === 'US' ? US_PLACES : customer.country === 'CA' ? CA_PLACES : EU_PLACES;
    const out: DemoShipTo[] = [];
    for (let i = 0; i < count; i++) {
      const isDefault = i === 0;
      const place = isDefault
        ? (places.find((p) => p.city === customer.city) ?? places[0])
        : this.rng.pick(places);
      out.push({
        id: this.rng.uuid(),
        customerNo: customer.customerNo,
        code: `ST${String(i + 1).padStart(2, '0')}`,
        name: isDefault ? customer.name : `${customer.name} (${place.city})`,
        contact: this.rng.chance(0.7) ? this.rng.pick(COMPANY_WORDS.contacts) : null,
        phone: this.rng.chance(0.6) ? this.phone(place.country) : null,
        addressLine1: isDefault ? customer.addressLine1 : this.street(),
        addressLine2: isDefault ? customer.addressLine2 : null,
        city: place.city,
        state: place.state,
        postalCode: isDefault ? customer.postalCode : this.postalCode(place),
        country: place.country,
        // The default ship-to mirrors the customer, including missing tax data.
        taxAreaCode: isDefault ? customer.taxAreaCode : place.taxArea,
        taxExemptionNo: customer.taxExemptionNo,
        warehouseCode: place.warehouse,
        isDefault,
        lastModified: this.stamp(),
      });
    }
    return out;
  }

  // ---- prices --------------------------------------------------------------------------------

  private basePriceLists(
    items: DemoItem[],
    lists: DemoPriceList[],
    lines: DemoPriceListLine[],
  ): void {
    const validFrom = this.date(-371);
    const byCurrency = CURRENCIES.map((c) => {
      const list: DemoPriceList = {
        id: this.rng.uuid(),
        code: `BASE-${c.code}`,
        description: `Base price list ${c.code}`,
        type: 'BASE',
        currencyCode: c.code,
        customerNo: null,
        validFrom,
        validTo: null,
        lastModified: this.stamp(),
      };
      lists.push(list);
      return { list, rate: micro(c.rateFromUsd) };
    });
    for (const item of items) {
      // Cost times a whole-percent markup: exact.
      const basePrice = (micro(item.unitCost) * BigInt(this.rng.int(125, 190))) / 100n;
      for (const uom of item.uoms) {
        const usd = percentOff(mul(basePrice, micro(uom.factor)), uomDiscount(uom));
        this.usdPrice.set(`${item.sku}|${uom.uomCode}`, usd);
        const tiers = this.rng.chance(0.35) ? this.breakTiers(uom, item.baseUom) : [];
        for (const { list, rate } of byCurrency) {
          const price = mul(usd, rate);
          lines.push({
            id: this.rng.uuid(),
            priceListCode: list.code,
            sku: item.sku,
            uomCode: uom.uomCode,
            unitPrice: money(price),
            breaks: tiers.map((t): DemoPriceBreak => ({
              id: this.rng.uuid(),
              minQty: t.minQty,
              unitPrice: money(percentOff(price, t.off)),
            })),
            lastModified: this.stamp(),
          });
        }
      }
    }
  }

  private breakTiers(uom: DemoItemUom, baseUom: string): { minQty: string; off: Micro }[] {
    const ladder = uom.isBase
      ? baseUom === 'EA'
        ? ['12', '24', '48', '100', '250']
        : ['50', '100', '500', '1000']
      : ['5', '10', '25', '50'];
    const count = this.rng.int(1, 3);
    const start = this.rng.int(0, ladder.length - count);
    return ladder.slice(start, start + count).map((minQty, k) => ({
      minQty,
      off: micro(3 * (k + 1)),
    }));
  }

  private customerPriceLists(
    items: DemoItem[],
    customers: DemoCustomer[],
    lists: DemoPriceList[],
    lines: DemoPriceListLine[],
  ): void {
    const owners = customers.filter((c) => c.parentCustomerNo === null);
    const sellable = items.filter((i) => i.status !== 'BLOCKED');
    const rates = new Map<string, Micro>(CURRENCIES.map((c) => [c.code, micro(c.rateFromUsd)]));
    for (const owner of this.rng.sample(owners, this.pickCount(0.1, 2, owners.length))) {
      const list: DemoPriceList = {
        id: this.rng.uuid(),
        code: `CPL-${owner.customerNo}`,
        description: `Price list for ${owner.name}`,
        type: 'CUSTOMER',
        currencyCode: owner.currencyCode,
        customerNo: owner.customerNo,
        validFrom: this.date(-this.rng.int(30, 365)),
        validTo: this.rng.chance(0.3) ? this.date(this.rng.int(60, 400)) : null,
        lastModified: this.stamp(),
      };
      lists.push(list);
      const rate = rates.get(owner.currencyCode) ?? micro(1);
      for (const item of this.rng.sample(sellable, this.rng.int(15, 40))) {
        const uoms = item.uoms.length > 1 && this.rng.chance(0.4) ? item.uoms : [item.uoms[0]];
        const off = micro(this.rng.int(3, 15));
        for (const uom of uoms) {
          const usd = this.usdPrice.get(`${item.sku}|${uom.uomCode}`) ?? micro(1);
          lines.push({
            id: this.rng.uuid(),
            priceListCode: list.code,
            sku: item.sku,
            uomCode: uom.uomCode,
            unitPrice: money(percentOff(mul(usd, rate), off)),
            breaks: [],
            lastModified: this.stamp(),
          });
        }
      }
      for (const c of customers) {
        if (c.customerNo === owner.customerNo || c.parentCustomerNo === owner.customerNo) {
          c.priceListCode = list.code;
        }
      }
    }
  }

  private contracts(items: DemoItem[], customers: DemoCustomer[]): DemoContract[] {
    const parents = new Set(customers.map((c) => c.parentCustomerNo).filter((p) => p !== null));
    const weighted = customers.map(
      (c) => [c, parents.has(c.customerNo) ? 6 : c.parentCustomerNo ? 1 : 2] as const,
    );
    const cumulative: number[] = [];
    let total = 0;
    for (const [, w] of weighted) cumulative.push((total += w));
    const pickCustomer = (): DemoCustomer => {
      const r = this.rng.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      return weighted[lo][0];
    };
    const sellable = items.filter((i) => i.status !== 'BLOCKED');
    const rates = new Map<string, Micro>(CURRENCIES.map((c) => [c.code, micro(c.rateFromUsd)]));
    const seen = new Set<string>();
    const out: DemoContract[] = [];
    for (let n = 0; n < this.count.contracts; n++) {
      let customer = pickCustomer();
      let itemScope = this.rng.chance(0.7);
      let item = this.rng.pick(sellable);
      let group = this.rng.pick(ITEM_GROUPS).code;
      for (let tries = 0; tries < 5; tries++) {
        const key = `${customer.customerNo}|${itemScope ? item.sku : `G:${group}`}`;
        if (!seen.has(key)) {
          seen.add(key);
          break;
        }
        customer = pickCustomer();
        itemScope = this.rng.chance(0.7);
        item = this.rng.pick(sellable);
        group = this.rng.pick(ITEM_GROUPS).code;
      }
      const fixed = itemScope && this.rng.chance(0.5);
      const uom = fixed ? this.rng.pick(item.uoms) : null;
      const rate = rates.get(customer.currencyCode) ?? micro(1);
      const percent = fixed
        ? null
        : this.rng.pick(['2', '3', '5', '7.5', '10', '12.5', '15', '20', '25']);
      const fixedPrice = uom
        ? money(
            percentOff(
              mul(this.usdPrice.get(`${item.sku}|${uom.uomCode}`) ?? micro(1), rate),
              micro(this.rng.int(5, 20)),
            ),
          )
        : null;
      const { validFrom, validTo } = this.validity();
      out.push({
        id: this.rng.uuid(),
        contractNo: `CT-${String(n + 1).padStart(6, '0')}`,
        description: fixed
          ? `Contract price ${item.sku} per ${uom?.uomCode}`
          : `${percent}% off ${itemScope ? item.sku : group}`,
        customerNo: customer.customerNo,
        sku: itemScope ? item.sku : null,
        itemGroupCode: itemScope ? null : group,
        priceType: fixed ? 'FIXED' : 'PERCENT_OFF',
        fixedPrice,
        uomCode: uom?.uomCode ?? null,
        currencyCode: customer.currencyCode,
        discountPercent: percent,
        minQty: this.rng.chance(0.2) ? this.rng.pick(['10', '25', '50', '100']) : null,
        validFrom,
        validTo,
        lastModified: this.stamp(),
      });
    }
    return out;
  }

  /** Mostly current, some open-ended, some already expired. */
  private validity(): { validFrom: string; validTo: string | null } {
    const kind = this.rng.weighted<'current' | 'open' | 'expired'>([
      ['current', 0.65],
      ['open', 0.2],
      ['expired', 0.15],
    ]);
    if (kind === 'expired') {
      const from = -this.rng.int(200, 540);
      return { validFrom: this.date(from), validTo: this.date(from + this.rng.int(30, 180)) };
    }
    const from = -this.rng.int(0, 540);
    return {
      validFrom: this.date(from),
      validTo: kind === 'open' ? null : this.date(from + this.rng.int(600, 1100)),
    };
  }

  private promotions(items: DemoItem[], customers: DemoCustomer[]): DemoPromotion[] {
    const sellable = items.filter((i) => i.status !== 'BLOCKED');
    const topLevel = customers.filter((c) => c.parentCustomerNo === null);
    const out: DemoPromotion[] = [];
    for (let n = 0; n < this.count.promotions; n++) {
      const percent = this.rng.chance(0.75);
      const discountPercent = percent ? this.rng.pick(['5', '10', '15', '20', '25']) : null;
      const discountAmount = percent ? null : this.rng.pick(['0.50', '1.00', '2.50', '5.00']);
      const scopes: DemoPromotionScope[] = [];
      const add = (type: DemoPromotionScope['type'], code: string): void => {
        scopes.push({ id: this.rng.uuid(), scopeNo: scopes.length + 1, type, code });
      };
      let target: string;
      if (this.rng.chance(0.5)) {
        const groups = this.rng.sample(ITEM_GROUPS, this.rng.int(1, 2));
        for (const g of groups) add('ITEM_GROUP', g.code);
        target = groups.map((g) => g.description).join(' & ');
      } else {
        const picked = this.rng.sample(sellable, this.rng.int(3, 12));
        for (const item of picked) add('ITEM', item.sku);
        target = `${picked.length} selected items`;
      }
      if (this.rng.chance(0.15)) {
        for (const c of this.rng.sample(topLevel, this.rng.int(1, 5)))
          add('CUSTOMER', c.customerNo);
      }
      const start = this.rng.int(-180, 60);
      out.push({
        id: this.rng.uuid(),
        code: `PROMO-${String(n + 1).padStart(4, '0')}`,
        description: `${this.rng.pick(PROMOTION_THEMES)}: ${percent ? `${discountPercent}%` : `$${discountAmount}`} off ${target}`,
        discountType: percent ? 'PERCENT_OFF' : 'AMOUNT_OFF',
        discountPercent,
        discountAmount,
        currencyCode: percent ? null : 'USD',
        minQty: this.rng.chance(0.25) ? this.rng.pick(['6', '12', '24']) : null,
        validFrom: this.date(start),
        validTo: this.date(start + this.rng.int(7, 60)),
        status: this.rng.chance(0.9) ? 'ACTIVE' : 'INACTIVE',
        scopes,
        lastModified: this.stamp(),
      });
    }
    return out;
  }

  // ---- inventory -----------------------------------------------------------------------------

  private inventory(items: DemoItem[]): DemoInventoryBalance[] {
    const out: DemoInventoryBalance[] = [];
    const stockedChance: Record<string, number> = { MAIN: 1, EAST: 0.75, WEST: 0.65 };
    for (const item of items) {
      if (item.fulfillmentType !== 'STOCK') continue;
      // Whole units for EA/FT items; tenths for weight and volume.
      const tenths = item.baseUom === 'KG' || item.baseUom === 'L';
      for (const w of WAREHOUSES) {
        if (!this.rng.chance(stockedChance[w.code])) continue;
        const lots = item.lotControlled ? this.rng.int(1, 3) : 1;
        for (let l = 0; l < lots; l++) {
          const max = item.status === 'DISCONTINUED' ? 50 : 2000;
          const onHandUnits = this.rng.chance(0.08) ? 0 : this.rng.int(1, tenths ? max * 10 : max);
          const allocatedUnits = Math.floor((onHandUnits * this.rng.int(0, 30)) / 100);
          const qty = (units: number): string =>
            tenths ? format(micro(units) / 10n, 1) : String(units);
          const expiryOffset = this.rng.int(20, 720);
          out.push({
            id: this.rng.uuid(),
            sku: item.sku,
            warehouseCode: w.code,
            lotNo: item.lotControlled
              ? `L${this.date(expiryOffset - 730)
                  .replace(/-/g, '')
                  .slice(2, 8)}-${l + 1}${this.digits(3)}`
              : null,
            expiryDate: item.lotControlled ? this.date(expiryOffset) : null,
            onHand: qty(onHandUnits),
            allocated: qty(allocatedUnits),
            lastModified: this.stamp(),
          });
        }
      }
    }
    return out;
  }
}

/** Larger packs are cheaper per base unit; percent in micro-units. */
function uomDiscount(uom: DemoItemUom): Micro {
  if (uom.isBase) return 0n;
  const factor = micro(uom.factor);
  if (factor < micro(5)) return 0n;
  if (factor >= micro(100)) return micro(6);
  if (factor >= micro(10)) return micro(4);
  return micro(2);
}

function gtin13(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i % 2 === 0 ? 1 : 3);
  return `${twelveDigits}${(10 - (sum % 10)) % 10}`;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const DAY_PREFIXES = new Map<number, number[]>();
const ISO_CHARS = new Uint8Array(24);

/**
 * `Date#toISOString` written into one flat buffer: the 10x dataset has ~700k timestamps, and
 * pieced-together strings are V8 ropes that cost more GC than the formatting itself.
 */
function isoInstant(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = DAY_PREFIXES.get(day);
  if (!prefix) {
    prefix = Array.from(new Date(day * DAY_MS).toISOString().slice(0, 11), (c) => c.charCodeAt(0));
    DAY_PREFIXES.set(day, prefix);
  }
  ISO_CHARS.set(prefix, 0);
  let rest = ms - day * DAY_MS;
  const put = (at: number, value: number, width: number): void => {
    for (let i = at + width - 1; i >= at; i--) {
      ISO_CHARS[i] = 48 + (value % 10);
      value = Math.floor(value / 10);
    }
  };
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  put(11, Math.floor(rest / 3600), 2);
  ISO_CHARS[13] = 58; // ':'
  put(14, Math.floor(rest / 60) % 60, 2);
  ISO_CHARS[16] = 58;
  put(17, rest % 60, 2);
  ISO_CHARS[19] = 46; // '.'
  put(20, millis, 3);
  ISO_CHARS[23] = 90; // 'Z'
  return String.fromCharCode.apply(null, ISO_CHARS as unknown as number[]);
}
