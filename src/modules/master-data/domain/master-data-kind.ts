/** The kinds of master data the hub keeps a copy of, in the order a sync processes them. */
export const MASTER_DATA_KINDS = ['warehouses', 'customers', 'items'] as const;
export type MasterDataKind = (typeof MASTER_DATA_KINDS)[number];
