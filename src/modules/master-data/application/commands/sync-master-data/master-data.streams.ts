import type { DeltaStream, DeltaStreamWriter } from '../../../../../platform/delta-sync/index.js';
import { checkCustomer } from '../../../domain/customer.js';
import { checkItem } from '../../../domain/item.js';
import { MASTER_DATA_KINDS, type MasterDataKind } from '../../../domain/master-data-kind.js';
import { checkWarehouse } from '../../../domain/warehouse.js';
import type { MasterDataSyncWriter } from '../../../infrastructure/master-data-sync.writer.js';
import type { MasterDataFeed } from '../../ports/master-data.feed.js';

/**
 * The streams of a master-data sync, one per kind, in MASTER_DATA_KINDS order (warehouses, then
 * customers, then items: a customer's ship-to names a warehouse). Each writes through the
 * governed writer: the system-of-record rules, the audit trail and the field versions.
 */
export function masterDataStreams(
  feed: MasterDataFeed,
  writer: MasterDataSyncWriter,
): DeltaStream[] {
  const streams: { [K in MasterDataKind]: DeltaStream<unknown> } = {
    warehouses: {
      name: 'warehouses',
      read: (request) => feed.readWarehouses(request),
      check: checkWarehouse,
      writer: writer.forKind('warehouses') as DeltaStreamWriter<unknown>,
    },
    customers: {
      name: 'customers',
      read: (request) => feed.readCustomers(request),
      check: checkCustomer,
      writer: writer.forKind('customers') as DeltaStreamWriter<unknown>,
    },
    items: {
      name: 'items',
      read: (request) => feed.readItems(request),
      check: checkItem,
      writer: writer.forKind('items') as DeltaStreamWriter<unknown>,
    },
  };
  return MASTER_DATA_KINDS.map((kind) => streams[kind]);
}
