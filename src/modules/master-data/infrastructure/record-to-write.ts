/** A valid, normalised record on its way into the hub's tables. */
export interface RecordToWrite<T> {
  sourceId: string;
  modifiedAt: Date;
  record: T;
  /** sourceHash(sourceId, record): equal hash = nothing to rewrite. */
  hash: string;
}
