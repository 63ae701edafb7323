import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { PinoLogger } from '../logging/index.js';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/index.js';
import { CorrelationContext } from '../correlation/index.js';
import { ApplicationError } from '../errors/index.js';
import { ExceptionsService, type OpsException, type ReplayContext } from '../exceptions/index.js';
import { ReadinessRegistry } from '../health/index.js';
import { canonicalJson } from '../idempotency/fingerprint.js';
import type { EnqueueOptions, JobContext, JobDefinition } from './job-definition.js';
import {
  createEnvelope,
  JobAttemptFailure,
  readEnvelope,
  readFailureOutput,
} from './job-envelope.js';
import { DEFAULT_JOBS_OPTIONS, JOBS_OPTIONS, type JobsOptions } from './jobs.options.js';
import { PermanentJobError } from './permanent-job.error.js';

/** pg-boss keeps its tables in this schema of the hub database. */
export const JOBS_SCHEMA = 'pgboss';
/** Every Crossdock queue dead-letters here; its worker turns each job into an exception record. */
export const DEAD_LETTER_QUEUE = 'crossdock.dead-letter';
/** Re-queues dead-letter jobs whose exception record could not be written (database trouble). */
export const DEAD_LETTER_SWEEP_QUEUE = 'crossdock.dead-letter-sweep';
export const DEFAULT_EXCEPTION_TYPE = 'job.failed';

const DEADLOCK_DETECTED = '40P01';
/** pg-boss' own maintenance interval: the slowest this instance looks for expired jobs. */
const MAX_MAINTENANCE_INTERVAL_SECONDS = 120;
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const DEFAULTS = { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true } as const;

type QueueKind = 'handler' | 'dead-letter';

export type JobState = PgBoss.JobWithMetadata['state'];

interface QueueEntry {
  name: string;
  kind: QueueKind;
  definition: JobDefinition<unknown>;
  queue: PgBoss.Queue;
  concurrency: number;
  pollingIntervalSeconds: number;
  /** Settles when the queue exists in pg-boss and this instance's workers run. */
  ready?: Promise<void>;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Durable background work on pg-boss (PostgreSQL): jobs are rows in the hub database, enqueued in
 * the caller's transaction when it passes one, worked by every instance at once (SKIP LOCKED),
 * retried with exponential backoff, and dead-lettered into the exception queue when they give up.
 */
@Injectable()
export class JobsService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly options: JobsOptions;
  private readonly queues = new Map<string, QueueEntry>();
  private readonly schedules = new Map<string, { cron: string; payload: unknown }>();
  private boss?: PgBoss;
  private state: State = 'idle';
  private starting?: Promise<PgBoss>;
  private stopping?: Promise<void>;
  /** Handlers running on this instance: shutdown waits for them (see doStop). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly exceptions: ExceptionsService,
    private readonly logger: PinoLogger,
    @Optional() @Inject(JOBS_OPTIONS) options?: Partial<JobsOptions>,
  ) {
    this.logger.setContext(JobsService.name);
    this.options = { ...DEFAULT_JOBS_OPTIONS, ...options };
    // The dead-letter queue must exist before any queue that names it.
    this.add('dead-letter', {
      name: DEAD_LETTER_QUEUE,
      // Never called: dead-letter jobs go to recordDeadLetter(). pg-boss gives each one the retry
      // limit of the job that failed and no delay; the sweep re-queues what still fails after that.
      handler: () => Promise.resolve(),
      retryLimit: 3,
      retryDelaySeconds: 0,
      retryBackoff: false,
    });
    this.add('handler', {
      name: DEAD_LETTER_SWEEP_QUEUE,
      handler: () => this.sweepDeadLetters(),
      retryLimit: 0,
      concurrency: 1,
    });
    // A dead-lettered job is replayed as a new job on its queue, whichever queue it is; queues
    // registered later are covered too, as the match is decided per record.
    this.exceptions.registerReplayer((exception) => this.isReplayableQueue(exception.source), {
      validatePayload: (payload, exception) => this.validateReplayPayload(exception, payload),
      replay: (exception, context) => this.replayJob(exception, context),
    });
  }

  onModuleInit(): void {
    this.readiness.register('jobs', () => Promise.resolve(this.readinessResult()));
    this.schedule(DEAD_LETTER_SWEEP_QUEUE, '* * * * *');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled) await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** True while pg-boss runs and this instance works its queues. */
  isRunning(): boolean {
    return this.state === 'running';
  }

  /**
   * Declares a queue and its handler. Call it from onModuleInit; the queue is created and its
   * workers start when jobs start (or at once when they already run).
   */
  register<T>(definition: JobDefinition<T>): void {
    this.add('handler', definition as JobDefinition<unknown>);
  }

  /**
   * Sends a job. With `options.manager` the job row is written on that transaction: it runs only
   * if the transaction commits. Resolves to the job id, or null when a singleton policy dropped it.
   */
  async enqueue<T>(name: string, payload: T, options: EnqueueOptions = {}): Promise<string | null> {
    const entry = this.queues.get(name);
    if (!entry || entry.kind !== 'handler') {
      throw new Error(`No job named "${name}" is registered`);
    }
    const boss = await this.ensureRunning();
    await entry.ready;
    const jobId = randomUUID();
    const correlationId = options.correlationId ?? CorrelationContext.current() ?? randomUUID();
    const sendOptions: PgBoss.SendOptions = { id: jobId };
    if (options.singletonKey !== undefined) sendOptions.singletonKey = options.singletonKey;
    if (options.startAfter !== undefined) sendOptions.startAfter = options.startAfter;
    if (options.manager) sendOptions.db = transactionDb(options.manager);
    const id = await boss.send(
      name,
      createEnvelope(name, payload, correlationId, jobId, { replayOf: options.replayOf }),
      sendOptions,
    );
    this.logger.debug(
      {
        job: name,
        jobId: id,
        correlationId,
        transactional: options.manager !== undefined,
        ...(options.replayOf !== undefined ? { replayOf: options.replayOf } : {}),
      },
      id ? 'job enqueued' : 'job not enqueued: a singleton job is already queued',
    );
    return id;
  }

  /**
   * Where a job stands in pg-boss ('created', 'retry', 'active', 'completed', 'failed',
   * 'cancelled'), archived jobs included; null when pg-boss does not know the id.
   */
  async jobState(name: string, id: string): Promise<JobState | null> {
    const boss = await this.ensureRunning();
    const job = await boss.getJobById(name, id, { includeArchive: true });
    return job?.state ?? null;
  }

  /**
   * Runs `name` on a cron schedule (UTC), once per tick across all instances. Safe to call from
   * every instance; the last call wins.
   */
  schedule(name: string, cron: string, payload: unknown = null): void {
    const entry = this.queues.get(name);
    if (!entry) throw new Error(`No job named "${name}" is registered`);
    this.schedules.set(name, { cron, payload });
    if (this.boss && (this.state === 'starting' || this.state === 'running')) {
      const boss = this.boss;
      void (entry.ready ?? Promise.resolve())
        .then(() => this.applySchedule(boss, name))
        .catch((error: unknown) =>
          this.logger.error({ err: error, job: name }, 'could not save the job schedule'),
        );
    }
  }

  private isReplayableQueue(name: string): boolean {
    const entry = this.queues.get(name);
    return entry?.kind === 'handler' && name !== DEAD_LETTER_SWEEP_QUEUE;
  }

  /**
   * A corrected payload must be one for this queue and for the same business object as the
   * failed job: checked by the queue's own validator, and by its `reference` (an order
   * segment, a customer), so a replay can never run another object's work. A queue that
   * declares no validator takes no correction: its payload is replayed as it failed.
   */
  private validateReplayPayload(exception: OpsException, payload: unknown): string[] {
    const definition = this.queues.get(exception.source)?.definition;
    if (!definition) return [];
    const original = exception.payload;
    if (!definition.validateReplayPayload) {
      return canonicalJson(payload) === canonicalJson(original)
        ? []
        : [
            `queue ${exception.source} takes no corrected payload: replay without one (the ` +
              'original payload is sent again)',
          ];
    }
    try {
      const violations = definition.validateReplayPayload(payload, original);
      if (violations.length > 0 || !definition.reference) return violations;
      const was = definition.reference(original);
      const is = definition.reference(payload);
      return was !== undefined && is !== was
        ? [`the payload must be about ${was}, as the failed job was (it names ${String(is)})`]
        : [];
    } catch (error) {
      // A check that trips over an unexpected shape still means the payload will not do.
      return [`the payload could not be checked: ${(error as Error).message}`];
    }
  }

  /** A new job on the failed job's queue, on the replay's transaction, keeping its correlation. */
  private async replayJob(
    exception: OpsException,
    context: ReplayContext,
  ): Promise<{ jobId: string }> {
    const jobId = await this.enqueue(exception.source, context.payload, {
      manager: context.manager,
      replayOf: exception.id,
      ...(exception.correlationId ? { correlationId: exception.correlationId } : {}),
    });
    if (jobId === null) {
      throw new ApplicationError(
        'EXCEPTION_REPLAY_NOT_ENQUEUED',
        `Queue ${exception.source} takes one queued job at a time and already has one; replay ` +
          'again once it has run.',
        'conflict',
      );
    }
    return { jobId };
  }

  private get enabled(): boolean {
    return this.config.jobsEnabled && this.config.database.connect;
  }

  private add(kind: QueueKind, definition: JobDefinition<unknown>): void {
    if (!QUEUE_NAME.test(definition.name)) {
      throw new Error(`Invalid job name "${definition.name}": use letters, digits, ".", "_", "-"`);
    }
    if (this.queues.has(definition.name)) {
      throw new Error(`A job named "${definition.name}" is already registered`);
    }
    const retryBackoff = definition.retryBackoff ?? DEFAULTS.retryBackoff;
    const entry: QueueEntry = {
      name: definition.name,
      kind,
      definition,
      queue: {
        name: definition.name,
        policy: definition.policy ?? 'standard',
        retryLimit: definition.retryLimit ?? DEFAULTS.retryLimit,
        // pg-boss needs a delay of at least 1s for backoff (it would clamp it anyway).
        retryDelay: Math.max(
          definition.retryDelaySeconds ?? DEFAULTS.retryDelaySeconds,
          retryBackoff ? 1 : 0,
        ),
        retryBackoff,
        ...(definition.expireInSeconds !== undefined
          ? { expireInSeconds: definition.expireInSeconds }
          : {}),
        ...(kind === 'dead-letter' ? {} : { deadLetter: DEAD_LETTER_QUEUE }),
      },
      concurrency: Math.max(1, definition.concurrency ?? this.options.concurrency),
      pollingIntervalSeconds: Math.max(
        0.5,
        definition.pollingIntervalSeconds ?? this.options.pollingIntervalSeconds,
      ),
    };
    this.queues.set(entry.name, entry);
    if (this.boss && (this.state === 'starting' || this.state === 'running')) {
      entry.ready = this.activate(this.boss, entry);
      // Surfaces through enqueue(); logged here so a late registration failure is not silent.
      entry.ready.catch((error: unknown) =>
        this.logger.error({ err: error, job: entry.name }, 'could not start the job queue'),
      );
    }
  }

  private async ensureRunning(): Promise<PgBoss> {
    if (this.state === 'running' && this.boss) return this.boss;
    if (this.enabled && (this.state === 'idle' || this.state === 'starting')) return this.start();
    throw new ApplicationError(
      'JOBS_UNAVAILABLE',
      'Background jobs are not running on this instance; try again later.',
      'unavailable',
    );
  }

  private start(): Promise<PgBoss> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<PgBoss> {
    this.state = 'starting';
    const started = Date.now();
    const boss = new PgBoss({
      connectionString: this.config.database.url,
      schema: JOBS_SCHEMA,
      application_name: 'crossdock-jobs',
      max: this.options.poolSize,
      maintenanceIntervalSeconds: this.maintenanceIntervalSeconds(),
    });
    // pg-boss reports polling and maintenance trouble as events; unheard, they would crash Node.
    boss.on('error', (error: Error) => this.logger.error({ err: error }, 'pg-boss error'));
    try {
      await boss.start();
      // From here on, register() activates new queues itself; the loop takes the others.
      this.boss = boss;
      for (const entry of this.queues.values()) {
        entry.ready ??= this.activate(boss, entry);
        await entry.ready;
      }
      for (const name of this.schedules.keys()) await this.applySchedule(boss, name);
    } catch (error) {
      this.state = 'stopped';
      this.boss = undefined;
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      throw error;
    }
    this.state = 'running';
    this.logger.info({ queues: [...this.queues.keys()], ms: Date.now() - started }, 'jobs started');
    return boss;
  }

  /** Creates (or updates) the queue, then starts this instance's workers for it. */
  private async activate(boss: PgBoss, entry: QueueEntry): Promise<void> {
    await createQueue(boss, entry.queue);
    // createQueue leaves an existing queue alone: bring retry/expiry settings up to date.
    await boss.updateQueue(entry.name, entry.queue);
    // `concurrency` workers taking one job at a time, so each job completes or fails on its own.
    for (let i = 0; i < entry.concurrency; i++) {
      const workerId: string = await boss.work<unknown>(
        entry.name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: entry.pollingIntervalSeconds,
        },
        async ([job]) => {
          if (!job) return;
          // A pg-boss worker waits a full polling interval even after finding a job; a worker
          // that found one looks again at once, so a backlog drains at handler speed.
          boss.notifyWorker(workerId);
          const run =
            entry.kind === 'dead-letter'
              ? this.recordDeadLetter(boss, job)
              : this.runJob(boss, entry, job);
          this.inFlight.add(run);
          try {
            await run;
          } finally {
            this.inFlight.delete(run);
          }
        },
      );
    }
  }

  private async applySchedule(boss: PgBoss, name: string): Promise<void> {
    const schedule = this.schedules.get(name);
    if (!schedule) return;
    // Scheduled runs carry an envelope without jobId: the run's own id is used instead.
    await boss.schedule(name, schedule.cron, createEnvelope(name, schedule.payload, ''), {
      tz: 'UTC',
    });
  }

  /**
   * A job whose instance died (crash, SIGKILL) stays `active` until pg-boss' maintenance fails it
   * by expiry and schedules its retry; maintenance runs every 120 s by default, so a queue with a
   * short expiry (ERP posting) would wait up to two more minutes after a crash. Maintenance runs
   * at least every half of the shortest expiry of the queues registered by now.
   */
  private maintenanceIntervalSeconds(): number {
    let shortest = 2 * MAX_MAINTENANCE_INTERVAL_SECONDS;
    for (const entry of this.queues.values()) {
      const expiry = entry.queue.expireInSeconds;
      if (expiry !== undefined && expiry > 0) shortest = Math.min(shortest, expiry);
    }
    return Math.max(1, Math.floor(shortest / 2));
  }

  private stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped') {
      this.state = 'stopped';
      return;
    }
    if (this.state === 'starting') await this.starting?.catch(() => undefined);
    const boss = this.boss;
    if (!boss || this.state !== 'running') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    // A queue registered after start may still be activating: a worker pg-boss created after its
    // stop() would never be stopped. Let activations finish first.
    await Promise.allSettled([...this.queues.values()].map((entry) => entry.ready));
    // Stop fetching, let running jobs finish (up to the timeout), then fail what is left back to
    // the queue so another instance retries it.
    await boss.stop({
      graceful: true,
      wait: true,
      close: true,
      timeout: this.options.shutdownTimeoutMs,
    });
    // pg-boss resolves stop() once it has failed unfinished jobs back to the queue, but a handler
    // still running keeps its worker loop (and pg-boss's own stop monitor) alive afterwards. Let
    // them end before shutdown goes on, so nothing of pg-boss runs after the app has closed.
    // A fetch that was in flight when stop() began returns its job while pg-boss closes its pool
    // (which waits for that query): the worker hands it to us just after stop() resolves. One
    // turn of the event loop lets those hand-overs happen, so the wait below covers them too.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const gaveUp = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), this.options.shutdownTimeoutMs).unref(),
    );
    while (this.inFlight.size > 0) {
      const settled = Promise.allSettled([...this.inFlight]).then(() => true);
      if (!(await Promise.race([settled, gaveUp]))) {
        this.logger.warn({ running: this.inFlight.size }, 'job handlers still running at shutdown');
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.state = 'stopped';
    this.logger.info('jobs stopped');
  }

  private readinessResult(): { up: boolean; details: Record<string, unknown> } {
    if (!this.enabled) return { up: true, details: { enabled: false } };
    return { up: this.state === 'running', details: { state: this.state } };
  }

  /** One attempt of one job: correlation and log context, timing, and what a failure leaves. */
  private runJob(
    boss: PgBoss,
    entry: QueueEntry,
    job: PgBoss.JobWithMetadata<unknown>,
  ): Promise<void> {
    const envelope = readEnvelope(job.data, entry.name);
    const correlationId = envelope.correlationId;
    const attempt = job.retryCount + 1;
    const maxAttempts = job.retryLimit + 1;
    const previous = readFailureOutput(job.output);
    return CorrelationContext.run({ correlationId, origin: 'job' }, () =>
      this.logger.runInContext(
        async () => {
          let reference: string | undefined;
          const ctx: JobContext = {
            jobId: job.id,
            queue: entry.name,
            correlationId,
            attempt,
            maxAttempts,
            logger: this.logger.logger,
            setReference: (value) => {
              reference = value;
            },
          };
          const started = performance.now();
          this.logger.info({ maxAttempts }, 'job started');
          try {
            await entry.definition.handler(envelope.payload, ctx);
          } catch (error) {
            const durationMs = Math.round(performance.now() - started);
            const permanent = error instanceof PermanentJobError;
            const final = permanent || attempt >= maxAttempts;
            if (permanent && attempt < maxAttempts)
              await this.skipRetries(boss, entry.name, job.id);
            const now = new Date().toISOString();
            const failure = new JobAttemptFailure(error, {
              queue: entry.name,
              jobId: envelope.jobId ?? job.id,
              attempt,
              maxAttempts,
              permanent,
              reference: reference ?? this.referenceOf(entry, envelope.payload),
              firstFailedAt: previous.firstFailedAt ?? now,
              lastFailedAt: now,
            });
            if (final) {
              this.logger.error(
                { err: error, durationMs, permanent },
                'job failed; giving up, it goes to the exception queue',
              );
            } else {
              this.logger.warn({ err: error, durationMs }, 'job failed; it will be retried');
            }
            throw failure;
          }
          this.logger.info(
            { durationMs: Math.round(performance.now() - started) },
            'job completed',
          );
        },
        { bindings: { job: entry.name, jobId: job.id, attempt } },
      ),
    );
  }

  /**
   * A permanent failure skips the remaining retries: with retry_limit = retry_count, pg-boss'
   * fail() marks the job failed (and dead-letters it) instead of scheduling a retry. Should the
   * process die before fail(), expiry fails the job with the same outcome.
   */
  private async skipRetries(boss: PgBoss, queue: string, id: string): Promise<void> {
    try {
      await boss.getDb().executeSql(
        `UPDATE ${JOBS_SCHEMA}.job SET retry_limit = retry_count
           WHERE name = $1 AND id = $2 AND state = 'active'`,
        [queue, id],
      );
    } catch (error) {
      // The job is then retried like any failure; it still ends in the exception queue.
      this.logger.warn({ err: error }, 'could not skip the retries of a permanently failed job');
    }
  }

  private referenceOf(entry: QueueEntry, payload: unknown): string | undefined {
    try {
      return entry.definition.reference?.(payload);
    } catch {
      return undefined;
    }
  }

  /**
   * Turns a dead-lettered job into an exception record. pg-boss inserts the dead-letter job in
   * the same statement that marks the original failed (including failure by expiry after a
   * crash), so every job that gives up is recorded, at least once; the dedupe key makes a second
   * delivery update the same record.
   */
  private recordDeadLetter(boss: PgBoss, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const envelope = readEnvelope(job.data, 'unknown');
    const failure = readFailureOutput(job.output);
    return CorrelationContext.run({ correlationId: envelope.correlationId, origin: 'job' }, () =>
      this.logger.runInContext(
        async () => {
          const source = failure.queue ?? envelope.queue;
          const entry = this.queues.get(source);
          const originalId = envelope.jobId ?? failure.jobId;
          let attempts = failure.attempt;
          if (attempts === undefined && originalId) {
            // Failed by expiry (crash, hang): pg-boss' own note has no attempt count.
            const original = await boss.getJobById(source, originalId, { includeArchive: true });
            if (original) attempts = original.retryCount + 1;
          }
          const recorded = await this.exceptions.record({
            type: entry?.definition.exceptionType ?? DEFAULT_EXCEPTION_TYPE,
            source,
            reference:
              failure.reference ??
              (entry ? this.referenceOf(entry, envelope.payload) : undefined) ??
              originalId ??
              job.id,
            payload: envelope.payload,
            error: {
              name: failure.name ?? 'Error',
              message: failure.message ?? 'The job failed',
              ...(failure.code !== undefined ? { code: failure.code } : {}),
            },
            attempts: attempts ?? job.retryLimit + 1,
            correlationId: envelope.correlationId,
            replayOf: envelope.replayOf ?? null,
            firstFailedAt: new Date(failure.firstFailedAt ?? job.createdOn),
            lastFailedAt: new Date(failure.lastFailedAt ?? job.createdOn),
            dedupeKey: `job:${source}:${originalId ?? job.id}`,
          });
          this.logger.warn(
            {
              exceptionId: recorded.id,
              source,
              failedJobId: originalId,
              attempts: recorded.attempts,
              ...(envelope.replayOf ? { replayOf: envelope.replayOf } : {}),
            },
            'failed job recorded in the exception queue',
          );
        },
        { bindings: { job: DEAD_LETTER_QUEUE, jobId: job.id } },
      ),
    );
  }

  /** Dead-letter jobs that ran out of attempts (record could not be written) get another round. */
  private async sweepDeadLetters(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    const result = await boss
      .getDb()
      .executeSql(`SELECT id FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state = 'failed'`, [
        DEAD_LETTER_QUEUE,
      ]);
    const ids = (result?.rows ?? []).map((row: { id: string }) => row.id);
    if (ids.length === 0) return;
    await boss.retry(DEAD_LETTER_QUEUE, ids);
    this.logger.error(
      { count: ids.length },
      'failed jobs whose exception record could not be written are queued again',
    );
  }
}

/**
 * Instances starting together create the same queues together, and pg-boss' create_queue()
 * (row insert, then partition and foreign keys) can deadlock against itself. The loser is rolled
 * back whole; trying again finds the queue there.
 */
async function createQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(queue.name, queue);
      return;
    } catch (error) {
      if (attempt >= 5 || (error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

/**
 * pg-boss' `db` hook, run on the caller's transaction. pg-boss reads `{ rows }`; TypeORM's
 * structured result has them as `records`.
 */
function transactionDb(manager: EntityManager): PgBoss.Db {
  const runner = manager.queryRunner;
  if (!runner || !runner.isTransactionActive) {
    throw new Error('enqueue({ manager }) needs an EntityManager inside a transaction');
  }
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await runner.query(text, values, true);
      return { rows: (result.records ?? []) as unknown[] };
    },
  };
}
