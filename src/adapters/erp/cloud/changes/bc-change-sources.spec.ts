import { feedsOfResource } from './bc-change-sources.js';

describe('feedsOfResource', () => {
  const company = '/api/v2.0/companies(7f4ca31f-0699-4d8f-b9e4-c74389bdb948)';

  it('maps a notification resource to the hub feeds that read it', () => {
    expect(feedsOfResource(`${company}/customers(0a1b)`)).toEqual(['master-data']);
    expect(
      feedsOfResource(`https://api.businesscentral.dynamics.com/v2.0/t/prod${company}/items`),
    ).toEqual(['master-data', 'pricing', 'inventory']);
  });

  it('reads a collection notification (a $filter on the resource) like any other', () => {
    expect(
      feedsOfResource(
        `${company}/customers?$filter=lastModifiedDateTime%20gt%202026-01-01T00:00:00Z`,
      ),
    ).toEqual(['master-data']);
  });

  it('maps sales orders to order changes, invoices and shipments to fulfillment', () => {
    expect(feedsOfResource(`${company}/salesOrders(0a1b)`)).toEqual(['order-changes']);
    expect(feedsOfResource(`${company}/salesInvoices`)).toEqual(['fulfillment']);
    expect(feedsOfResource(`${company}/salesShipments`)).toEqual(['fulfillment']);
  });

  it('re-reads every feed for a resource it does not know', () => {
    expect(feedsOfResource(`${company}/vendors`)).toEqual(['master-data', 'pricing', 'inventory']);
  });
});
