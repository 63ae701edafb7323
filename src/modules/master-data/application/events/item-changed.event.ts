import type { MasterDataChange } from './customer-changed.event.js';

/** An item changed in the hub; published from the audit trail. */
export class ItemChanged {
  constructor(
    readonly sku: string,
    readonly change: MasterDataChange,
  ) {}
}
