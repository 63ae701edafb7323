import { CloudPriceDataMapper } from './cloud-price-data.mapper.js';

const context = { localCurrency: 'USD' };

describe('CloudPriceDataMapper', () => {
  it('reads a price list starting 0001-01-01 as valid from the beginning of time, a blank currency as the local one', () => {
    const list = CloudPriceDataMapper.priceList(
      {
        id: 'p1',
        code: 'BASE',
        description: '',
        sourceType: 'All Customers',
        sourceNumber: '',
        currencyCode: '',
        startingDate: '0001-01-01',
        endingDate: '0001-01-01',
        status: 'Active',
      },
      context,
    );
    expect(list).toMatchObject({
      code: 'BASE',
      currency: 'USD',
      validFrom: '0001-01-01',
      validTo: null,
      type: 'BASE',
    });
  });

  it('takes prices and quantities sent as JSON numbers (as parsed losslessly)', () => {
    const entry = CloudPriceDataMapper.entry({
      id: 'l1',
      priceListCode: 'BASE',
      assetType: 'Item',
      assetNumber: 'SKU-1',
      unitOfMeasureCode: 'EA',
      minimumQuantity: 10,
      unitPrice: '19.990',
    });
    expect(entry).toMatchObject({ minQuantity: '10', unitPrice: '19.99' });
  });

  it('reads a promotion without an end date as open-ended and a blank amount currency as local', () => {
    const promotion = CloudPriceDataMapper.promotion(
      {
        id: 'x1',
        code: 'SPRING',
        description: 'Spring',
        discountType: 'Amount Off',
        discountPercent: 0,
        discountAmount: '5.00',
        currencyCode: '',
        minimumQuantity: 0,
        startingDate: '2026-03-01',
        endingDate: '0001-01-01',
        status: 'Active',
        scopes: [],
      },
      context,
    );
    expect(promotion).toMatchObject({
      validTo: '9999-12-31',
      currency: 'USD',
      discountAmount: '5',
      minQuantity: null,
    });
  });
});
