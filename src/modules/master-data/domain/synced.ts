/** A record as the hub holds it, with where and when it came from. */
export interface Synced<T> {
  value: T;
  sourceId: string;
  /** When the ERP last changed it. */
  sourceModifiedAt: Date;
  /** When the hub last wrote it (only when something changed). */
  syncedAt: Date;
}
