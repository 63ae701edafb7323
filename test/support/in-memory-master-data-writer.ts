import {
  type Customer,
  type ErpCustomerFieldsWrite,
  type ErpShipToWrite,
  MasterDataWriter,
} from '../../src/modules/master-data/index.js';
import { PermanentJobError } from '../../src/platform/jobs/index.js';
import type { InMemoryMasterDataFeed } from './in-memory-master-data-feed.js';

/**
 * The write side of the in-memory "ERP": applies write-backs to the customer records the
 * InMemoryMasterDataFeed serves (as a real ERP would, with a new modifiedAt), so the next sync
 * reads them. A repeated requestId applies nothing; an unknown customer is permanent, as the
 * MasterDataWriter contract demands of the real adapters.
 */
export class InMemoryMasterDataWriter extends MasterDataWriter {
  readonly applied: (ErpShipToWrite | ErpCustomerFieldsWrite)[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly feed: InMemoryMasterDataFeed,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    super();
  }

  writeShipTo(write: ErpShipToWrite): Promise<void> {
    return this.apply(write, (c) => ({
      ...c,
      shipTos: [...c.shipTos.filter((s) => s.code !== write.shipTo.code), write.shipTo],
    }));
  }

  writeCustomerFields(write: ErpCustomerFieldsWrite): Promise<void> {
    return this.apply(write, (c) => ({ ...c, ...write.fields }));
  }

  private async apply(
    write: ErpShipToWrite | ErpCustomerFieldsWrite,
    change: (customer: Customer) => Customer,
  ): Promise<void> {
    if (this.seen.has(write.requestId)) return;
    const found = this.feed.find('customers', (r) => (r as Customer).erpId === write.customerErpId);
    if (!found) {
      throw new PermanentJobError(`no customer ${write.customerErpId} in the ERP`, {
        code: 'ERP_CUSTOMER_UNKNOWN',
      });
    }
    this.feed.put('customers', found.sourceId, this.now(), change(found.record as Customer));
    this.seen.add(write.requestId);
    this.applied.push(write);
  }
}
