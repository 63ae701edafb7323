import {
  createEnvelope,
  JobAttemptFailure,
  readEnvelope,
  readFailureOutput,
} from './job-envelope.js';
import { PermanentJobError } from './permanent-job.error.js';

describe('job envelope', () => {
  it('reads back what it wrote', () => {
    const envelope = createEnvelope('orders.post', { orderId: 'o-1' }, 'corr-1', 'job-1');
    expect(readEnvelope(JSON.parse(JSON.stringify(envelope)), 'other')).toEqual(envelope);
  });

  it('reads back the exception record a replay points to', () => {
    const envelope = createEnvelope('orders.post', { orderId: 'o-1' }, 'corr-1', 'job-2', {
      replayOf: '3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44',
    });
    expect(readEnvelope(JSON.parse(JSON.stringify(envelope)), 'other')).toEqual(envelope);
    expect(envelope.replayOf).toBe('3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44');
  });

  it('takes data sent around JobsService as a bare payload with a fresh correlation id', () => {
    const envelope = readEnvelope({ orderId: 'o-1' }, 'orders.post');
    expect(envelope).toMatchObject({ queue: 'orders.post', payload: { orderId: 'o-1' } });
    expect(envelope.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.jobId).toBeUndefined();
  });

  it('gives a scheduled run (no correlation id) a fresh one', () => {
    const envelope = readEnvelope(createEnvelope('sync.items', null, ''), 'sync.items');
    expect(envelope.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('job failure output', () => {
  it('keeps what the exception record needs, through JSON, without the stack', () => {
    const cause = new PermanentJobError('ERP rejected the order', { code: 'ERP_REJECTED' });
    const failure = new JobAttemptFailure(cause, {
      queue: 'orders.post',
      jobId: 'job-1',
      attempt: 2,
      maxAttempts: 4,
      permanent: true,
      reference: 'SO-1',
      firstFailedAt: '2025-11-29T10:00:00.000Z',
      lastFailedAt: '2025-11-29T10:00:05.000Z',
    });
    // pg-boss stores own enumerable properties (serialize-error) as jsonb.
    const stored = JSON.parse(JSON.stringify({ ...failure, message: failure.message })) as unknown;
    expect(readFailureOutput(stored)).toEqual({
      name: 'PermanentJobError',
      message: 'ERP rejected the order',
      code: 'ERP_REJECTED',
      queue: 'orders.post',
      jobId: 'job-1',
      attempt: 2,
      maxAttempts: 4,
      permanent: true,
      reference: 'SO-1',
      firstFailedAt: '2025-11-29T10:00:00.000Z',
      lastFailedAt: '2025-11-29T10:00:05.000Z',
    });
  });

  it("reads the message of pg-boss' own expiry note", () => {
    expect(
      readFailureOutput({ value: { message: 'job failed by timeout in active state' } }),
    ).toEqual({ message: 'job failed by timeout in active state' });
  });

  it('reads nothing from an empty output', () => {
    expect(readFailureOutput(null)).toEqual({});
  });
});
