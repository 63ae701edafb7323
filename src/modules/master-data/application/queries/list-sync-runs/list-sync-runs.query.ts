import { Query } from '@nestjs/cqrs';
import type { SyncRun } from '../../../domain/sync-run.js';

export interface SyncRunPage {
  items: SyncRun[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_RUN_PAGE_SIZE = 20;
export const MAX_RUN_PAGE_SIZE = 100;

/** Master-data sync runs, newest first. */
export class ListSyncRunsQuery extends Query<SyncRunPage> {
  constructor(readonly input: { cursor?: string; limit?: number }) {
    super();
  }
}
