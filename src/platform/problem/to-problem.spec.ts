import { toProblem } from './to-problem.js';

describe(toProblem.name, () => {
  const correlationId = '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10';

  it('answers a lock wait timeout (SQLSTATE 55P03) with 503 SERVICE_BUSY and Retry-After', () => {
    const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), {
      code: '55P03',
    });

    const sut = toProblem(lockTimeout, correlationId);

    expect(sut.problem).toMatchObject({ status: 503, code: 'SERVICE_BUSY', correlationId });
    expect(sut.headers).toEqual({ 'Retry-After': '2' });
    expect(sut.internal).toBe(false);
  });

  it('answers an exhausted connection pool with 503 SERVICE_BUSY and Retry-After', () => {
    const sut = toProblem(new Error('timeout exceeded when trying to connect'), correlationId);

    expect(sut.problem).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
    expect(sut.headers).toEqual({ 'Retry-After': '2' });
  });

  it('recognises a busy database behind a wrapped driver error', () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: { code: '55P03' } });

    expect(toProblem(wrapped, correlationId).problem.code).toBe('SERVICE_BUSY');
  });

  it('still answers any other unexpected error with 500 INTERNAL_ERROR', () => {
    const sut = toProblem(new Error('boom'), correlationId);

    expect(sut.problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(sut.internal).toBe(true);
  });
});
