import pino from 'pino';
import type { JobContext, JobDefinition } from '../jobs/index.js';
import { DeltaSyncErrors } from './delta-sync.errors.js';
import {
  DEFERRAL_SECONDS,
  type DeltaSyncJobs,
  type DeltaSyncTick,
  MAX_DEFERRALS,
  scheduleDeltaSync,
} from './delta-sync.schedule.js';
import type { DeltaSyncRun } from './delta-sync.types.js';

/** A job queue that records what the schedule registers and sends (no pg-boss behind it). */
function recordingJobs() {
  const sent: { name: string; payload: unknown; startAfter?: Date | number }[] = [];
  let definition: JobDefinition<DeltaSyncTick> | undefined;
  const jobs: DeltaSyncJobs = {
    register: <T>(d: JobDefinition<T>) => {
      definition = d as unknown as JobDefinition<DeltaSyncTick>;
    },
    schedule: () => undefined,
    enqueue: <T>(name: string, payload: T, options: { startAfter?: Date | number } = {}) => {
      sent.push({ name, payload, startAfter: options.startAfter });
      return Promise.resolve('job-id');
    },
  };
  const ctx = {
    jobId: 'j',
    queue: 'test.sync',
    correlationId: 'c',
    attempt: 1,
    maxAttempts: 1,
    logger: pino({ level: 'silent' }),
    setReference: () => undefined,
  } as JobContext;
  const tick = (payload: DeltaSyncTick) => {
    if (!definition) throw new Error('nothing registered');
    return definition.handler(payload, ctx);
  };
  return { jobs, sent, tick, policy: () => definition?.policy };
}

const busy = () => Promise.reject<DeltaSyncRun>(DeltaSyncErrors.alreadyRunning('test', 'run-1'));

describe(scheduleDeltaSync.name, () => {
  it('uses a stately queue, so ticks and ERP change triggers coalesce', () => {
    const q = recordingJobs();
    scheduleDeltaSync(q.jobs, {
      job: 'test.sync',
      cron: null,
      label: 'test',
      run: busy,
      expireInSeconds: 60,
    });
    expect(q.policy()).toBe('stately');
  });

  it('comes back later when a manual run holds the lock, a bounded number of times', async () => {
    const q = recordingJobs();
    scheduleDeltaSync(q.jobs, {
      job: 'test.sync',
      cron: null,
      label: 'test',
      run: busy,
      expireInSeconds: 60,
    });
    const before = Date.now();
    await q.tick(null);
    expect(q.sent).toEqual([
      { name: 'test.sync', payload: { deferred: 1 }, startAfter: expect.any(Date) },
    ]);
    expect((q.sent[0].startAfter as Date).getTime()).toBeGreaterThanOrEqual(
      before + DEFERRAL_SECONDS * 1000,
    );
    await q.tick({ deferred: MAX_DEFERRALS });
    expect(q.sent).toHaveLength(1);
  });

  it('does not come back for other skips (the instance stopping)', async () => {
    const q = recordingJobs();
    scheduleDeltaSync(q.jobs, {
      job: 'test.sync',
      cron: null,
      label: 'test',
      run: () => Promise.reject<DeltaSyncRun>(DeltaSyncErrors.shuttingDown()),
      expireInSeconds: 60,
    });
    await q.tick(null);
    expect(q.sent).toEqual([]);
  });
});
