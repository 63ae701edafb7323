import type { ErpFeed } from '../../../../platform/erp-changes/index.js';
import type { BcApi } from '../cloud-erp.connection.js';

/** An entity set the cloud feeds read, the hub feeds a change to it touches, and how it is watched. */
export interface BcChangeSource {
  api: BcApi;
  entitySet: string;
  feeds: readonly ErpFeed[];
  /** BC sends webhooks for it (BC's supported list: customers, items, salesOrders, salesInvoices; not locations or salesShipments). */
  webhook: boolean;
}

const ALL_FEEDS: readonly ErpFeed[] = ['master-data', 'pricing', 'inventory'];

/**
 * What the cloud adapter's feeds read (cloud-master-data.mapper, pricing and inventory feeds).
 * Items carry the base price and, without the inventoryBalances page, the one stock figure: a
 * change to an item re-reads all three feeds. Custom API pages are polled: the hub subscribes
 * only to standard v2.0 resources BC lists as webhook-supported (shared/erp §5.12).
 */
export const BC_CHANGE_SOURCES: readonly BcChangeSource[] = [
  { api: 'standard', entitySet: 'customers', feeds: ['master-data'], webhook: true },
  { api: 'standard', entitySet: 'items', feeds: ALL_FEEDS, webhook: true },
  { api: 'standard', entitySet: 'locations', feeds: ['master-data', 'inventory'], webhook: false },
  { api: 'custom', entitySet: 'customerDetails', feeds: ['master-data'], webhook: false },
  { api: 'custom', entitySet: 'shipToAddresses', feeds: ['master-data'], webhook: false },
  { api: 'custom', entitySet: 'itemDetails', feeds: ['master-data'], webhook: false },
  { api: 'custom', entitySet: 'itemUnitsOfMeasure', feeds: ['master-data'], webhook: false },
  { api: 'custom', entitySet: 'itemSubstitutions', feeds: ['master-data'], webhook: false },
  { api: 'custom', entitySet: 'priceLists', feeds: ['pricing'], webhook: false },
  { api: 'custom', entitySet: 'priceListLines', feeds: ['pricing'], webhook: false },
  { api: 'custom', entitySet: 'customerContracts', feeds: ['pricing'], webhook: false },
  { api: 'custom', entitySet: 'promotions', feeds: ['pricing'], webhook: false },
  { api: 'custom', entitySet: 'inventoryBalances', feeds: ['inventory'], webhook: false },
  // Fulfillment back-flow: BC notifies order and invoice changes (a line change notifies its
  // header), not shipments (§5.12): those are polled. A tracking edit on a posted shipment
  // changes the same Sales Shipment Header, so polling salesShipments sees it too.
  { api: 'standard', entitySet: 'salesOrders', feeds: ['order-changes'], webhook: true },
  { api: 'standard', entitySet: 'salesInvoices', feeds: ['fulfillment'], webhook: true },
  { api: 'standard', entitySet: 'salesShipments', feeds: ['fulfillment'], webhook: false },
];

/**
 * The feeds a notification's `resource` touches: the entity set after `companies(...)/`, also
 * when BC sends a `collection` resource with a `$filter`. Unknown resources touch every feed
 * (re-reading too much is cheap; missing a change is not).
 */
export function feedsOfResource(resource: string): readonly ErpFeed[] {
  const match = /companies\([^)]*\)\/([A-Za-z]+)/.exec(resource);
  const source = match ? BC_CHANGE_SOURCES.find((s) => s.entitySet === match[1]) : undefined;
  return source?.feeds ?? ALL_FEEDS;
}
