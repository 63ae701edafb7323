import type { EntityManager } from 'typeorm';
import type { OpsException } from './exceptions.service.js';

export const EXCEPTION_ACTIONS = ['replay', 'discard'] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

/** Who acted on an exception record: the channel and API key of the request. */
export interface ExceptionActor {
  channelId: string;
  channelName: string;
  apiKeyId: string;
}

/** The actor as the audit trail keeps it (the key prefix is looked up when the action is written). */
export interface RecordedExceptionActor extends ExceptionActor {
  /** The public prefix of the API key used, as operators see it in the key list. */
  keyPrefix: string | null;
}

/** One entry of a record's audit trail. */
export interface OpsExceptionActionRecord {
  id: string;
  action: ExceptionAction;
  actor: RecordedExceptionActor;
  reason: string | null;
  /** The record's payload when the action was taken. */
  payloadBefore: unknown;
  /** The corrected payload a replay sent (null when it replayed the original). */
  payloadAfter: unknown;
  payloadCorrected: boolean;
  /** The job (or other unit of work) carrying a replay. */
  jobId: string | null;
  /** Correlation id of the request that took the action. */
  correlationId: string | null;
  createdAt: Date;
}

/** What a replayer is handed, besides the exception record. */
export interface ReplayContext {
  /**
   * The transaction that marks the record `replayed` and writes the audit row. Do the replay's
   * writes (e.g. `jobs.enqueue(..., { manager })`) on it, so they happen only if the status change
   * commits. Throwing rolls everything back (an ApplicationError reaches the caller as is).
   */
  manager: EntityManager;
  /** The corrected payload when the operator sent one, else the record's own payload. */
  payload: unknown;
  payloadCorrected: boolean;
  actor: ExceptionActor;
  reason: string | null;
}

export interface ReplayOutcome {
  /** Id of the job (or other unit of work) that carries the replay, when there is one. */
  jobId?: string | null;
}

/** Sends an exception record's work again; registered per source with registerReplayer(). */
export interface ExceptionReplayer {
  replay(exception: OpsException, context: ReplayContext): Promise<ReplayOutcome>;
  /**
   * Checks a corrected payload before anything is written: the violations, or [] when it is fine.
   * Any violation answers 400 INVALID_REPLAY_PAYLOAD and nothing is replayed.
   */
  validatePayload?(payload: unknown, exception: OpsException): string[];
}

/**
 * Which records a replayer handles: the exact `source` of the record, or a predicate over the
 * record (e.g. every source of one sync: `(e) => e.source.startsWith('items-sync:')`).
 */
export type ReplayerMatch = string | ((exception: OpsException) => boolean);

export interface ReplayExceptionInput {
  /** Replaces the record's payload for this replay; undefined = replay the original payload. */
  payload?: unknown;
  reason?: string | null;
}

export interface DiscardExceptionInput {
  reason: string;
}

/** A record with its audit trail, oldest action first. */
export interface OpsExceptionDetail extends OpsException {
  actions: OpsExceptionActionRecord[];
}

/** The result of a replay: the updated record with its trail, and the replay's own audit entry. */
export interface ReplayResult {
  exception: OpsExceptionDetail;
  replay: OpsExceptionActionRecord;
}
