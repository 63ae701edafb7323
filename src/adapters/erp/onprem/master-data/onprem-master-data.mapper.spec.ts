import { UnmappableRecordError } from '../../shared/canonical-fields.js';
import {
  type ArCustomerRow,
  type ArShipToRow,
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
  email: 'ap@acme.example.com',
  phone: ' ',
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
