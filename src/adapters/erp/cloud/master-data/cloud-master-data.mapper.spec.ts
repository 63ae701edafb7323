import { UnmappableRecordError } from '../../shared/canonical-fields.js';
import type { BcRow } from '../cloud-erp.connection.js';
import { CloudMasterDataMapper, type CustomerMappingContext } from './cloud-master-data.mapper.js';

const customerRows = (
  customer: Partial<BcRow> = {},
  details: Partial<BcRow> = {},
): Record<string, BcRow[]> => ({
  customer: [
    {
      id: 'c1',
      number: 'C10001',
      displayName: 'Acme Supply',
      phoneNumber: '',
      email: 'ap@acme.example.com',
      balanceDue: '1250.50',
      creditLimit: '25000.00',
      currencyCode: '',
      blocked: ' ',
      ...customer,
    },
  ],
  details: [
    {
      id: 'c1',
      parentCustomerNumber: '',
      status: 'Active',
      paymentTermsCode: 'NET30',
      currencyCode: '',
      taxAreaCode: '',
      taxExemptionNumber: '',
      ...details,
    },
  ],
  shipTos: [
    {
      id: 's2',
      code: 'ST02',
      name: 'Dock 2',
      addressLine1: '2 Main St',
      addressLine2: '',
      city: 'Reno',
      state: 'NV',
      country: 'US',
      postalCode: '89506',
      taxAreaCode: '',
      locationCode: 'WEST',
      isDefault: false,
    },
    {
      id: 's1',
      code: 'ST01',
      name: 'Head office',
      addressLine1: '1 Main St',
      addressLine2: 'Suite 4',
      city: 'Reno',
      state: 'NV',
      country: 'US',
      postalCode: '89501',
      taxAreaCode: 'US-NV',
      locationCode: 'WEST',
      isDefault: true,
    },
  ],
});

const context: CustomerMappingContext = {
  cashTerms: new Set(['COD', 'PREPAID']),
  localCurrency: 'USD',
  paymentTermsById: new Map(),
  taxAreasById: new Map(),
  detailsPage: true,
};

describe('CloudMasterDataMapper.customer', () => {
  it('maps BC blanks to null, the blank currency to the local one, the default ship-to first', () => {
    const customer = CloudMasterDataMapper.customer(customerRows(), context);
    expect(customer).toMatchObject({
      erpId: 'C10001',
      parentErpId: null,
      status: 'ACTIVE',
      creditLimit: '25000.00',
      balanceDue: '1250.50',
      currency: 'USD',
      phone: null,
      taxAreaCode: null,
    });
    expect(customer.shipTos.map((s) => s.code)).toEqual(['ST01', 'ST02']);
    expect(customer.shipTos[0]).toMatchObject({
      addressLines: ['1 Main St', 'Suite 4'],
      region: 'NV',
      defaultWarehouseCode: 'WEST',
      taxAreaCode: 'US-NV',
    });
  });

  it('reads a credit limit of 0 as "no limit", except on cash terms where it is no credit', () => {
    expect(
      CloudMasterDataMapper.customer(customerRows({ creditLimit: '0' }), context).creditLimit,
    ).toBeNull();
    expect(
      CloudMasterDataMapper.customer(
        customerRows({ creditLimit: '0.00' }, { paymentTermsCode: 'COD' }),
        context,
      ).creditLimit,
    ).toBe('0');
  });

  it.each([
    [' ', 'Active', 'ACTIVE'],
    ['All', 'Inactive', 'INACTIVE'],
    ['All', 'Blocked', 'BLOCKED'],
    ['Ship', 'Active', 'BLOCKED'],
    ['Invoice', 'Active', 'BLOCKED'],
    [' ', 'Blocked', 'BLOCKED'],
  ])('maps blocked "%s" with status %s to %s', (blocked, status, expected) => {
    expect(
      CloudMasterDataMapper.customer(customerRows({ blocked }, { status }), context).status,
    ).toBe(expected);
  });

  it('maps a customer from standard BC alone while the customerDetails page is missing', () => {
    const standard = {
      ...context,
      detailsPage: false,
      paymentTermsById: new Map([['7b1c0000-0000-0000-0000-000000000001', 'NET30']]),
      taxAreasById: new Map([['7b1c0000-0000-0000-0000-000000000002', 'US-NV']]),
    };
    const rows = customerRows({
      // As parseBcJson leaves BC's JSON numbers: safe integers as numbers, decimals as text.
      creditLimit: 0,
      balanceDue: '1250.50',
      blocked: 'Ship',
      paymentTermsId: '7B1C0000-0000-0000-0000-000000000001',
      taxAreaId: '7b1c0000-0000-0000-0000-000000000002',
    });
    const customer = CloudMasterDataMapper.customer(
      { customer: rows.customer, details: [], shipTos: [] },
      standard,
    );
    expect(customer).toMatchObject({
      status: 'BLOCKED',
      creditLimit: null,
      balanceDue: '1250.50',
      paymentTerms: 'NET30',
      taxAreaCode: 'US-NV',
      parentErpId: null,
      taxExemptionNumber: null,
      shipTos: [],
    });
  });

  it("maps the customer card's standard fields: tax liability, website, its own address", () => {
    const customer = CloudMasterDataMapper.customer(
      customerRows({
        taxLiable: false,
        website: 'https://www.acme.example.com',
        addressLine1: '4410 Commerce Dr',
        addressLine2: '',
        city: 'Reno',
        state: 'NV',
        country: 'US',
        postalCode: '89501',
      }),
      context,
    );
    expect(customer).toMatchObject({
      taxLiable: false,
      website: 'https://www.acme.example.com',
      address: {
        addressLines: ['4410 Commerce Dr'],
        city: 'Reno',
        region: 'NV',
        postalCode: '89501',
        country: 'US',
      },
    });
  });

  it('reads blank address fields as no address, and a row without taxLiable as liable', () => {
    const blanks = { addressLine1: '', addressLine2: '', city: '', state: '', country: '' };
    const customer = CloudMasterDataMapper.customer(
      customerRows({ ...blanks, postalCode: '', website: '' }),
      context,
    );
    expect(customer).toMatchObject({ address: null, website: null, taxLiable: true });
    expect(() =>
      CloudMasterDataMapper.customer(customerRows({ taxLiable: 'Yes' }), context),
    ).toThrow(/taxLiable/);
  });

  it('refuses what it cannot map: an unknown status, a decimal that went through a float', () => {
    expect(() =>
      CloudMasterDataMapper.customer(customerRows({}, { status: 'On Hold' }), context),
    ).toThrow(UnmappableRecordError);
    expect(() =>
      CloudMasterDataMapper.customer(customerRows({ creditLimit: 25000.1 }), context),
    ).toThrow(/exact decimal/);
    expect(() =>
      CloudMasterDataMapper.customer({ ...customerRows(), details: [] }, context),
    ).toThrow(/customerDetails/);
  });
});

describe('CloudMasterDataMapper.item', () => {
  const rows = (
    details: Partial<BcRow> = {},
    item: Partial<BcRow> = {},
  ): Record<string, BcRow[]> => ({
    item: [
      {
        id: 'i1',
        number: 'PLB-1',
        displayName: 'Elbow',
        itemCategoryCode: '',
        blocked: false,
        baseUnitOfMeasureCode: 'EA',
        ...item,
      },
    ],
    details: [
      {
        id: 'i1',
        status: 'Active',
        fulfillmentType: 'Drop Ship',
        vendorNumber: 'V20001',
        lotControlled: false,
        ...details,
      },
    ],
    unitsOfMeasure: [
      {
        id: 'u2',
        itemId: 'i1',
        code: 'PK',
        qtyPerUnitOfMeasure: '3.785412',
        baseUnitOfMeasure: false,
      },
      { id: 'u1', itemId: 'i1', code: 'EA', qtyPerUnitOfMeasure: '1', baseUnitOfMeasure: true },
    ],
    substitutions: [
      { id: 's2', itemId: 'i1', substituteNumber: 'PLB-3', priority: 2 },
      { id: 's1', itemId: 'i1', substituteNumber: 'PLB-2', priority: 1 },
    ],
  });

  it('keeps factors as exact text, base unit first, substitutes by priority', () => {
    expect(CloudMasterDataMapper.item(rows())).toEqual({
      sku: 'PLB-1',
      description: 'Elbow',
      baseUom: 'EA',
      uomConversions: [
        { uom: 'EA', factor: '1' },
        { uom: 'PK', factor: '3.785412' },
      ],
      itemGroup: null,
      status: 'ACTIVE',
      fulfillmentType: 'DROP_SHIP',
      supplierId: 'V20001',
      lotControlled: false,
      substitutes: ['PLB-2', 'PLB-3'],
      gtin: null,
      taxGroupCode: null,
    });
  });

  it("maps the item's GTIN and tax group from standard BC", () => {
    const item = CloudMasterDataMapper.item(
      rows({}, { gtin: '0614141000036', taxGroupCode: 'MATERIALS' }),
    );
    expect(item).toMatchObject({ gtin: '0614141000036', taxGroupCode: 'MATERIALS' });
    expect(CloudMasterDataMapper.item(rows({}, { gtin: '', taxGroupCode: '' }))).toMatchObject({
      gtin: null,
      taxGroupCode: null,
    });
  });

  it('lets BC items.blocked win, and names no supplier for a stock item', () => {
    const item = CloudMasterDataMapper.item(rows({ fulfillmentType: 'Stock' }, { blocked: true }));
    expect(item).toMatchObject({ status: 'BLOCKED', fulfillmentType: 'STOCK', supplierId: null });
  });

  it('maps an item from standard BC alone while the custom item pages are missing', () => {
    const standard = CloudMasterDataMapper.item(
      { item: rows().item, details: [], unitsOfMeasure: [], substitutions: [] },
      { detailsPage: false },
    );
    expect(standard).toMatchObject({
      status: 'ACTIVE',
      fulfillmentType: 'STOCK',
      supplierId: null,
      lotControlled: false,
      uomConversions: [],
      substitutes: [],
    });
  });

  it('refuses a Service or Non-Inventory item: the hub keeps no non-stock items', () => {
    expect(() => CloudMasterDataMapper.item(rows({}, { type: 'Service' }))).toThrow(/Service item/);
    expect(() => CloudMasterDataMapper.item(rows({}, { type: 'Non-Inventory' }))).toThrow(
      /Non-Inventory item/,
    );
  });

  it('refuses an unknown fulfillment type', () => {
    expect(() => CloudMasterDataMapper.item(rows({ fulfillmentType: 'Special Order' }))).toThrow(
      UnmappableRecordError,
    );
  });
});
