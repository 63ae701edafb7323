export const EXCEPTION_STATUSES = ['open', 'replayed', 'discarded', 'resolved'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** What failed, as operators see it: never a stack trace. */
export interface ExceptionError {
  name: string;
  message: string;
  /** Stable code when the failure carried one (ApplicationError, PermanentJobError). */
  code?: string;
}
