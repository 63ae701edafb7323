import type { Customer } from '../domain/customer.js';
import type { Item } from '../domain/item.js';
import type { Warehouse } from '../domain/warehouse.js';
import { CustomerMapper } from './customer.mapper.js';
import type { CustomerOrmEntity, ShipToOrmEntity } from './customer.orm-entity.js';
import { ItemMapper } from './item.mapper.js';
import type { ItemOrmEntity, ItemUomOrmEntity } from './item.orm-entity.js';
import { columnsOf } from './master-data-sync.writer.js';
import type { RecordToWrite } from './record-to-write.js';
import { WarehouseMapper } from './warehouse.mapper.js';

const customer: Customer = {
  erpId: 'C10042',
  name: 'Acme',
  parentErpId: null,
  status: 'ACTIVE',
  creditLimit: null,
  balanceDue: '0.0000',
  paymentTerms: null,
  currency: 'USD',
  taxAreaCode: null,
  taxExemptionNumber: null,
  taxLiable: false,
  email: null,
  phone: null,
  website: 'https://www.acme.example',
  address: {
    addressLines: [],
    city: 'Columbus',
    region: 'OH',
    postalCode: null,
    country: 'US',
  },
  shipTos: [
    {
      code: 'MAIN',
      name: 'Main',
      addressLines: ['1 Main St'],
      city: 'Columbus',
      region: null,
      postalCode: null,
      country: 'US',
      defaultWarehouseCode: null,
      taxAreaCode: null,
    },
  ],
};
const item: Item = {
  sku: 'SKU-1',
  description: 'Bolt',
  baseUom: 'EA',
  uomConversions: [
    { uom: 'EA', factor: '1' },
    { uom: 'CASE', factor: '12' },
  ],
  itemGroup: null,
  status: 'ACTIVE',
  fulfillmentType: 'STOCK',
  supplierId: null,
  lotControlled: true,
  substitutes: ['SKU-2'],
  gtin: '0614141000036',
  taxGroupCode: 'MATERIALS',
};
const warehouse: Warehouse = { code: 'WH', name: 'Main', address: null, active: true };
const toWrite = <T>(record: T): RecordToWrite<T> => ({
  sourceId: 'src-1',
  modifiedAt: new Date('2026-05-13T10:15:30.123Z'),
  record,
  hash: 'h',
});
const keys = (rows: Record<string, unknown>[]): string[] => Object.keys(rows[0] ?? {}).sort();

describe('master-data mappers', () => {
  it('fill exactly the columns the writer inserts, for every kind and child table', () => {
    expect(keys([CustomerMapper.toRow(toWrite(customer))])).toEqual(
      columnsOf('customers').table.sort(),
    );
    expect(keys(CustomerMapper.toShipToRows(customer))).toEqual(
      columnsOf('customers').children.sort(),
    );
    expect(keys([ItemMapper.toRow(toWrite(item))])).toEqual(columnsOf('items').table.sort());
    expect(keys(ItemMapper.toUomRows(item))).toEqual(columnsOf('items').children.sort());
    expect(keys([WarehouseMapper.toRow(toWrite(warehouse))])).toEqual(
      columnsOf('warehouses').table.sort(),
    );
  });

  it('rebuild a customer from its rows, ship-tos in the ERP order', () => {
    const row = {
      erpId: 'C10042',
      sourceId: 'src-1',
      name: 'Acme',
      parentErpId: 'C10000',
      status: 'BLOCKED',
      creditLimit: '100.0000',
      balanceDue: '5.0000',
      paymentTerms: 'NET30',
      currency: 'EUR',
      taxAreaCode: null,
      taxExemptionNumber: 'EX-1',
      taxLiable: false,
      email: null,
      phone: null,
      website: null,
      addressLines: null,
      city: null,
      region: null,
      postalCode: null,
      country: null,
      sourceModifiedAt: new Date('2026-05-13T10:15:30.123Z'),
      syncedAt: new Date('2026-05-13T10:16:00.000Z'),
      sourceHash: 'h',
      changeSeq: '7',
    } as CustomerOrmEntity;
    const shipTo = (code: string, position: number) =>
      ({ ...customer.shipTos[0], code, position, customerErpId: 'C10042' }) as ShipToOrmEntity;

    const synced = CustomerMapper.toDomain(row, [shipTo('B', 1), shipTo('A', 0)]);

    expect(synced.value.shipTos.map((s) => s.code)).toEqual(['A', 'B']);
    expect(synced.value.shipTos[0]).not.toHaveProperty('position');
    expect(synced).toMatchObject({
      sourceId: 'src-1',
      value: { parentErpId: 'C10000', status: 'BLOCKED', creditLimit: '100.0000' },
    });
    expect(synced.value).toMatchObject({ taxLiable: false, website: null, address: null });
  });

  it("write a customer's own address, tax liability and website and read them back", () => {
    const row = CustomerMapper.toRow(toWrite(customer));
    expect(row).toMatchObject({
      tax_liable: false,
      website: 'https://www.acme.example',
      address_lines: [],
      city: 'Columbus',
      region: 'OH',
      postal_code: null,
      country: 'US',
    });
    const stored = {
      erpId: row.erp_id,
      sourceId: row.source_id,
      name: row.name,
      parentErpId: row.parent_erp_id,
      status: row.status,
      creditLimit: row.credit_limit,
      balanceDue: row.balance_due,
      paymentTerms: row.payment_terms,
      currency: row.currency,
      taxAreaCode: row.tax_area_code,
      taxExemptionNumber: row.tax_exemption_number,
      taxLiable: row.tax_liable,
      email: row.email,
      phone: row.phone,
      website: row.website,
      addressLines: row.address_lines,
      city: row.city,
      region: row.region,
      postalCode: row.postal_code,
      country: row.country,
      sourceModifiedAt: new Date(),
      syncedAt: new Date(),
    } as unknown as CustomerOrmEntity;
    const shipTos = CustomerMapper.toShipToRows(customer).map(
      (r) =>
        ({
          customerErpId: r.customer_erp_id,
          code: r.code,
          position: r.position,
          name: r.name,
          addressLines: r.address_lines,
          city: r.city,
          region: r.region,
          postalCode: r.postal_code,
          country: r.country,
          defaultWarehouseCode: r.default_warehouse_code,
          taxAreaCode: r.tax_area_code,
        }) as ShipToOrmEntity,
    );

    expect(CustomerMapper.toDomain(stored, shipTos).value).toEqual(customer);
  });

  it('rebuild an item with its units in the stored order', () => {
    const row = { ...item, sourceId: 's', sourceModifiedAt: new Date(), syncedAt: new Date() };
    const uom = (u: string, factor: string, position: number) =>
      ({ sku: 'SKU-1', uom: u, factor, position }) as ItemUomOrmEntity;

    const synced = ItemMapper.toDomain(row as unknown as ItemOrmEntity, [
      uom('CASE', '12', 1),
      uom('EA', '1', 0),
    ]);

    expect(synced.value).toEqual(item);
    expect(ItemMapper.toRow(toWrite(item))).toMatchObject({
      gtin: '0614141000036',
      tax_group_code: 'MATERIALS',
    });
  });
});
