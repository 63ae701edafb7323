import { UnmappableRecordError } from '../../shared/canonical-fields.js';
import {
  type ArCustomerRow,
  type ArShipToRow,
  type InItemRow,
  OnPremMasterDataMapper,
} from './onprem-master-data.mapper.js';

const customer: ArCustomerRow = {
  customer_no: 'C10001',
  name: 'Acme Supply',
  parent_customer_no: null,
  status: 'ACTIVE',
  credit_limit: '0.0000',
  balance_due: '0.0000',
  terms_code: 'COD',
  currency_code: 'USD',
  tax_area_code: null,
  tax_exempt_no: null,
  tax_liable: true,
  email: 'ap@acme.example.com',
  phone: ' ',
  website: 'https://www.acme.example.com',
  address_line1: '4410 Commerce Dr',
  address_line2: ' ',
  city: 'Reno',
  state: 'NV',
  postal_code: '89501',
  country_code: 'US',
};

const item: InItemRow = {
  item_no: 'FAS-10001',
  description: 'Hex Bolt',
  item_group_code: 'FASTENERS',
  base_uom_code: 'EA',
  status: 'ACTIVE',
  fulfillment_type: 'STOCK',
  supplier_no: 'V20001',
  lot_controlled: false,
  gtin: '0614141000036',
  tax_group_code: 'MATERIALS',
};

const shipTo = (code: string, status = 'ACTIVE'): ArShipToRow => ({
  customer_no: 'C10001',
  ship_to_code: code,
  name: `Dock ${code}`,
  address_line1: '1 Main St',
  address_line2: null,
  city: 'Reno',
  state: 'NV',
  postal_code: '89501',
  country_code: 'US',
  warehouse_code: 'WEST',
  tax_area_code: 'US-NV',
  is_default: false,
  status,
});

describe('OnPremMasterDataMapper', () => {
  it('keeps the ERP credit limit as it is (0 on cash accounts is no credit, not no limit)', () => {
    expect(OnPremMasterDataMapper.customer(customer, [])).toMatchObject({
      creditLimit: '0.0000',
      phone: null,
      taxAreaCode: null,
    });
  });

  it("maps the customer card's tax liability, website and own address", () => {
    expect(OnPremMasterDataMapper.customer({ ...customer, tax_liable: false }, [])).toMatchObject({
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

  it('maps a customer without any address column to address null, and a partial one as it is', () => {
    const none = {
      ...customer,
      address_line1: null,
      address_line2: null,
      city: null,
      state: null,
      postal_code: ' ',
      country_code: null,
    };
    expect(OnPremMasterDataMapper.customer(none, []).address).toBeNull();
    expect(OnPremMasterDataMapper.customer({ ...none, city: 'Reno' }, []).address).toEqual({
      addressLines: [],
      city: 'Reno',
      region: null,
      postalCode: null,
      country: null,
    });
  });

  it("maps an item's GTIN and tax group, blanks as null", () => {
    expect(OnPremMasterDataMapper.item(item, [], [])).toMatchObject({
      gtin: '0614141000036',
      taxGroupCode: 'MATERIALS',
    });
    expect(
      OnPremMasterDataMapper.item({ ...item, gtin: ' ', tax_group_code: null }, [], []),
    ).toMatchObject({ gtin: null, taxGroupCode: null });
  });

  it('leaves out ship-to addresses the ERP has made inactive', () => {
    const mapped = OnPremMasterDataMapper.customer(customer, [
      shipTo('ST01'),
      shipTo('ST02', 'INACTIVE'),
    ]);
    expect(mapped.shipTos.map((s) => s.code)).toEqual(['ST01']);
  });

  it('refuses a status the canonical model has no word for', () => {
    expect(() => OnPremMasterDataMapper.customer({ ...customer, status: 'ON_HOLD' }, [])).toThrow(
      UnmappableRecordError,
    );
  });

  it('maps a warehouse without an address to address null', () => {
    expect(
      OnPremMasterDataMapper.warehouse({
        warehouse_code: 'TRANSIT',
        name: 'In transit',
        address_line1: null,
        address_line2: null,
        city: null,
        state: null,
        postal_code: null,
        country_code: null,
        status: 'INACTIVE',
      }),
    ).toEqual({ code: 'TRANSIT', name: 'In transit', address: null, active: false });
  });
});
