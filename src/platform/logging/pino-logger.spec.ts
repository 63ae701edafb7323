import pino from 'pino';
import { Writable } from 'node:stream';
import { NestPinoLogger, PinoLogger, runWithRequestLogger } from './pino-logger.js';

type Line = Record<string, unknown>;

function capture(): { root: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n'))
        if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { root: pino({ level: 'trace', base: null, timestamp: false }, sink), lines };
}

describe(PinoLogger.name, () => {
  it('names its context on every line, with the fields and message given', () => {
    const { root, lines } = capture();
    const sut = new PinoLogger(root);
    sut.setContext('JobsService');
    sut.info({ job: 'sync' }, 'job started');
    sut.warn('plain message');
    expect(lines).toEqual([
      { level: 30, context: 'JobsService', job: 'sync', msg: 'job started' },
      { level: 40, context: 'JobsService', msg: 'plain message' },
    ]);
  });

  it('logs an Error given first as err', () => {
    const { root, lines } = capture();
    new PinoLogger(root).error(new Error('boom'), 'failed');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'failed', err: { message: 'boom' } });
  });

  it('writes through the request logger inside a request, and through the root outside', () => {
    const { root, lines } = capture();
    const sut = new PinoLogger(root);
    runWithRequestLogger(root.child({ correlationId: 'c-1' }), () => sut.info('inside'));
    sut.info('outside');
    expect(lines).toEqual([
      { level: 30, correlationId: 'c-1', msg: 'inside' },
      { level: 30, msg: 'outside' },
    ]);
  });

  it('carries runInContext bindings across awaits', async () => {
    const { root, lines } = capture();
    const sut = new PinoLogger(root);
    await sut.runInContext(
      async () => {
        await new Promise((r) => setImmediate(r));
        sut.debug('later');
      },
      { bindings: { jobId: 'j-1' } },
    );
    expect(lines).toEqual([{ level: 20, jobId: 'j-1', msg: 'later' }]);
  });
});

describe(NestPinoLogger.name, () => {
  it("takes Nest's last parameter as the context", () => {
    const { root, lines } = capture();
    new NestPinoLogger(new PinoLogger(root)).log(
      'Mapped {/v1/orders, POST} route',
      'RouterExplorer',
    );
    expect(lines).toEqual([
      { level: 30, context: 'RouterExplorer', msg: 'Mapped {/v1/orders, POST} route' },
    ]);
  });

  it("logs Nest's exception-handler call (message, stack, context) as an error with that stack", () => {
    const { root, lines } = capture();
    const stack = 'Error: db down\n    at Query.run (query.ts:1:1)';
    new NestPinoLogger(new PinoLogger(root)).error('db down', stack, 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'db down', stack },
    });
  });
});
