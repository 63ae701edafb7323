import { generateDemoDataset } from './generate-demo-dataset.js';
import { SeededRandom } from './seeded-random.js';

const DECIMAL = /^\d+(\.\d+)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(SeededRandom.name, () => {
  it('repeats the same sequence for the same seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('writes version-4 shaped GUIDs', () => {
    const rng = new SeededRandom(7);
    const ids = Array.from({ length: 1000 }, () => rng.uuid());
    expect(ids.every((id) => GUID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe(generateDemoDataset.name, () => {
  const dataset = generateDemoDataset();

  it('produces identical output for the same seed and different output for another seed', () => {
    expect(JSON.stringify(generateDemoDataset())).toBe(JSON.stringify(dataset));
    const other = generateDemoDataset({ seed: 7 });
    expect(other.items[0].id).not.toBe(dataset.items[0].id);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(dataset));
  });

  it('meets the scale-1 counts', () => {
    expect(dataset.customers.length).toBeGreaterThanOrEqual(200);
    expect(dataset.items.length).toBeGreaterThanOrEqual(2000);
    expect(dataset.warehouses.map((w) => w.code)).toEqual(['MAIN', 'EAST', 'WEST']);
    expect(dataset.promotions.length).toBeGreaterThanOrEqual(5);
    expect(dataset.contracts.length).toBeGreaterThanOrEqual(500);
  });

  it('derives every timestamp from the fixed base date', () => {
    const base = Date.parse(dataset.baseDate);
    const stamps = [...dataset.customers, ...dataset.items, ...dataset.priceListLines].map((r) =>
      Date.parse(r.lastModified),
    );
    expect(stamps.every((t) => t < base && t > base - 401 * 86_400_000)).toBe(true);
  });

  it('builds customer hierarchies with ship-tos and the data-quality cases', () => {
    const byNo = new Map(dataset.customers.map((c) => [c.customerNo, c]));
    const children = dataset.customers.filter((c) => c.parentCustomerNo !== null);
    expect(children.length).toBeGreaterThan(20);
    for (const child of children) {
      const parent = byNo.get(child.parentCustomerNo ?? '');
      expect(parent?.parentCustomerNo).toBeNull();
      // Parents precede their children, so loaders can insert in order.
      expect(dataset.customers.indexOf(parent!)).toBeLessThan(dataset.customers.indexOf(child));
    }
    const shipTosPer = new Map<string, number>();
    for (const s of dataset.shipTos)
      shipTosPer.set(s.customerNo, (shipTosPer.get(s.customerNo) ?? 0) + 1);
    expect(dataset.customers.every((c) => (shipTosPer.get(c.customerNo) ?? 0) >= 1)).toBe(true);
    expect(Math.max(...shipTosPer.values())).toBe(4);
    const count = (p: (c: (typeof dataset.customers)[number]) => boolean): number =>
      dataset.customers.filter(p).length;
    expect(count((c) => c.status === 'INACTIVE')).toBeGreaterThanOrEqual(2);
    expect(count((c) => c.status === 'BLOCKED')).toBeGreaterThanOrEqual(2);
    expect(count((c) => Number(c.balanceDue) > Number(c.creditLimit))).toBeGreaterThanOrEqual(3);
    expect(count((c) => c.taxAreaCode === null)).toBeGreaterThanOrEqual(2);
    expect(count((c) => c.taxExemptionNo !== null)).toBeGreaterThan(0);
    expect(new Set(dataset.customers.map((c) => c.currencyCode))).toEqual(
      new Set(['USD', 'EUR', 'CAD']),
    );
    expect(count((c) => c.currencyCode === 'USD')).toBeGreaterThan(dataset.customers.length * 0.7);
  });

  it('builds items with UoM conversions, drop-ship suppliers, lots, statuses and substitutes', () => {
    const items = dataset.items;
    const suppliers = new Map(dataset.suppliers.map((s) => [s.supplierNo, s]));
    expect(new Set(items.map((i) => i.status))).toEqual(
      new Set(['ACTIVE', 'DISCONTINUED', 'BLOCKED']),
    );
    const dropShip = items.filter((i) => i.fulfillmentType === 'DROP_SHIP');
    expect(dropShip.length).toBeGreaterThan(20);
    expect(dropShip.every((i) => suppliers.get(i.supplierNo ?? '')?.dropShip === true)).toBe(true);
    expect(items.filter((i) => i.lotControlled).length).toBeGreaterThan(20);
    expect(items.filter((i) => i.substitutes.length > 0).length).toBeGreaterThan(20);
    for (const item of items) {
      expect(item.uoms[0]).toMatchObject({ uomCode: item.baseUom, factor: '1', isBase: true });
      expect(item.uoms.length).toBeGreaterThanOrEqual(2);
      expect(item.uoms.every((u) => DECIMAL.test(u.factor))).toBe(true);
    }
    const factors = items.flatMap((i) => i.uoms.map((u) => u.factor));
    expect(factors).toEqual(expect.arrayContaining(['12', '6.5', '3.785412']));
    expect(new Set(items.map((i) => i.sku)).size).toBe(items.length);
  });

  it('gives every item a tax group of the dataset (exempt ones NONTAXABLE) and a valid GTIN', () => {
    const groups = new Set(dataset.taxGroups.map((g) => g.code));
    expect(groups.size).toBe(dataset.taxGroups.length);
    for (const item of dataset.items) {
      expect(groups.has(item.taxGroupCode)).toBe(true);
      expect(item.taxGroupCode === 'NONTAXABLE').toBe(item.taxClass === 'EXEMPT');
      expect(item.gtin).toMatch(/^\d{13}$/);
    }
    expect(new Set(dataset.items.map((i) => i.taxGroupCode)).size).toBe(groups.size);
  });

  it("gives customers a website (child accounts their parent's, some none) and a tax liability", () => {
    const byNo = new Map(dataset.customers.map((c) => [c.customerNo, c]));
    for (const c of dataset.customers) {
      if (c.parentCustomerNo !== null) {
        expect(c.website).toBe(byNo.get(c.parentCustomerNo)?.website);
      } else if (c.website !== null) {
        expect(c.website).toMatch(/^https:\/\/www\.[a-z0-9-]+\.example\.com$/);
      }
      // Exempt customers (a certificate on file) are the ones not liable.
      expect(c.taxLiable).toBe(c.taxExemptionNo === null);
    }
    expect(dataset.customers.filter((c) => c.website === null).length).toBeGreaterThan(0);
    expect(dataset.customers.filter((c) => !c.taxLiable).length).toBeGreaterThan(0);
  });

  it('prices every item UoM in every base currency, with breaks, contracts and promotions', () => {
    const base = dataset.priceLists.filter((l) => l.type === 'BASE').map((l) => l.code);
    expect(base).toEqual(['BASE-USD', 'BASE-CAD', 'BASE-EUR']);
    const itemUoms = dataset.items.reduce((n, i) => n + i.uoms.length, 0);
    const baseLines = dataset.priceListLines.filter((l) => base.includes(l.priceListCode));
    expect(baseLines.length).toBe(itemUoms * 3);
    expect(baseLines.filter((l) => l.breaks.length > 0).length).toBeGreaterThan(1000);
    expect(dataset.priceListLines.every((l) => DECIMAL.test(l.unitPrice))).toBe(true);
    expect(dataset.priceLists.some((l) => l.type === 'CUSTOMER')).toBe(true);
    const contracts = dataset.contracts;
    expect(contracts.some((c) => c.priceType === 'FIXED' && c.fixedPrice && c.uomCode)).toBe(true);
    expect(contracts.some((c) => c.priceType === 'PERCENT_OFF' && c.itemGroupCode)).toBe(true);
    expect(contracts.some((c) => c.validTo !== null && c.validTo < dataset.baseDate)).toBe(true);
    expect(contracts.every((c) => (c.sku === null) !== (c.itemGroupCode === null))).toBe(true);
    const parents = new Set(dataset.customers.map((c) => c.parentCustomerNo));
    expect(contracts.some((c) => parents.has(c.customerNo))).toBe(true);
    expect(dataset.promotions.every((p) => p.scopes.some((s) => s.type !== 'CUSTOMER'))).toBe(true);
  });

  it('keeps inventory per stocked item and warehouse, with lot rows for lot-controlled items', () => {
    const items = new Map(dataset.items.map((i) => [i.sku, i]));
    const balances = dataset.inventoryBalances;
    expect(balances.every((b) => items.get(b.sku)?.fulfillmentType === 'STOCK')).toBe(true);
    expect(balances.every((b) => Number(b.allocated) <= Number(b.onHand))).toBe(true);
    expect(balances.every((b) => (b.lotNo !== null) === items.get(b.sku)?.lotControlled)).toBe(
      true,
    );
    expect(new Set(balances.map((b) => b.warehouseCode))).toEqual(
      new Set(['MAIN', 'EAST', 'WEST']),
    );
    const keys = balances.map((b) => `${b.sku}|${b.warehouseCode}|${b.lotNo ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // How long generation takes is the benches' business (bench:sync prints it), not a test's.
  it('multiplies the volumes at 10x scale', () => {
    const big = generateDemoDataset({ scale: 10 });
    expect(big.items.length).toBeGreaterThanOrEqual(20_000);
    expect(big.customers.length).toBeGreaterThanOrEqual(2_000);
    expect(big.contracts.length).toBeGreaterThanOrEqual(5_000);
    expect(big.promotions.length).toBeGreaterThanOrEqual(500);
    expect(big.warehouses.length).toBe(3);
  });
});
