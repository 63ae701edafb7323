import { randomUUID } from 'node:crypto';

/** What Crossdock stores as a pg-boss job's `data`: the payload plus what is needed around it. */
export interface JobEnvelope<T = unknown> {
  v: 1;
  /** Queue the job was sent to; a dead-lettered copy still knows where it came from. */
  queue: string;
  /** The id given to pg-boss at send time (absent on runs created by a schedule). */
  jobId?: string;
  correlationId: string;
  enqueuedAt: string;
  /** Set on the replay of a dead-lettered job: the exception record it replays. */
  replayOf?: string;
  payload: T;
}

export function createEnvelope<T>(
  queue: string,
  payload: T,
  correlationId: string,
  jobId?: string,
  meta: { replayOf?: string } = {},
): JobEnvelope<T> {
  return {
    v: 1,
    queue,
    ...(jobId !== undefined ? { jobId } : {}),
    correlationId,
    enqueuedAt: new Date().toISOString(),
    ...(meta.replayOf !== undefined ? { replayOf: meta.replayOf } : {}),
    payload,
  };
}

/** Reads a job's data; data sent around JobsService (e.g. by hand) is taken as a bare payload. */
export function readEnvelope(data: unknown, fallbackQueue: string): JobEnvelope {
  if (isRecord(data) && data.v === 1 && typeof data.queue === 'string' && 'payload' in data) {
    return {
      v: 1,
      queue: data.queue,
      ...(typeof data.jobId === 'string' ? { jobId: data.jobId } : {}),
      correlationId:
        typeof data.correlationId === 'string' && data.correlationId.length > 0
          ? data.correlationId
          : randomUUID(),
      enqueuedAt: typeof data.enqueuedAt === 'string' ? data.enqueuedAt : new Date().toISOString(),
      ...(typeof data.replayOf === 'string' ? { replayOf: data.replayOf } : {}),
      payload: data.payload,
    };
  }
  return createEnvelope(fallbackQueue, data ?? null, randomUUID());
}

/**
 * What a failed attempt leaves in pg-boss's job `output`. pg-boss copies it to the next attempt
 * (so the first failure time survives retries) and to the dead-letter job (so the exception record
 * gets attempts, reference and the error without another look-up).
 */
export interface JobFailureOutput {
  name: string;
  message: string;
  code?: string;
  queue: string;
  jobId: string;
  attempt: number;
  maxAttempts: number;
  permanent: boolean;
  reference?: string;
  firstFailedAt: string;
  lastFailedAt: string;
}

/**
 * The error a Crossdock job attempt fails with. Its own fields are what pg-boss serialises into
 * `output` (serialize-error keeps own enumerable properties); `stack` stays in pg-boss' table
 * and the log, never in the exception record.
 */
export class JobAttemptFailure extends Error implements JobFailureOutput {
  code?: string;
  queue: string;
  jobId: string;
  attempt: number;
  maxAttempts: number;
  permanent: boolean;
  reference?: string;
  firstFailedAt: string;
  lastFailedAt: string;

  constructor(cause: unknown, failure: Omit<JobFailureOutput, 'name' | 'message' | 'code'>) {
    const error = cause instanceof Error ? cause : undefined;
    super(error ? error.message : String(cause));
    this.name = error?.name ?? 'Error';
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') this.code = code;
    Object.assign(this, failure);
    if (failure.reference === undefined) delete this.reference;
    if (error?.stack) this.stack = error.stack;
  }
}

/** Whatever is in `output`: ours, pg-boss' timeout note (`{ value: { message } }`), or nothing. */
export function readFailureOutput(output: unknown): Partial<JobFailureOutput> {
  if (!isRecord(output)) return {};
  const value = isRecord(output.value) ? output.value : undefined;
  const out: Partial<JobFailureOutput> = {};
  const name = str(output.name);
  const message = str(output.message) ?? str(value?.message);
  if (name) out.name = name;
  if (message) out.message = message;
  const code = str(output.code);
  if (code) out.code = code;
  const queue = str(output.queue);
  if (queue) out.queue = queue;
  const jobId = str(output.jobId);
  if (jobId) out.jobId = jobId;
  if (typeof output.attempt === 'number') out.attempt = output.attempt;
  if (typeof output.maxAttempts === 'number') out.maxAttempts = output.maxAttempts;
  if (typeof output.permanent === 'boolean') out.permanent = output.permanent;
  const reference = str(output.reference);
  if (reference) out.reference = reference;
  const first = isoDate(output.firstFailedAt);
  if (first) out.firstFailedAt = first;
  const last = isoDate(output.lastFailedAt);
  if (last) out.lastFailedAt = last;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isoDate(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}
