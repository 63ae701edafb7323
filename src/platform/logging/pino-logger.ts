import { Inject, Injectable, type LoggerService, Scope } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as Pino } from 'pino';

/** DI token of the app's root pino logger (the one the HTTP request logger derives from). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The logger of the request (or job) being handled, so every line carries its bindings. */
const scopes = new AsyncLocalStorage<{ logger: Pino }>();

/** Runs `next` with `logger` as the current request's logger (the HTTP middleware's job). */
export function runWithRequestLogger(logger: Pino, next: () => void): void {
  scopes.run({ logger }, next);
}

/**
 * The logger classes inject (one instance per consumer, named with `setContext`). Inside a request
 * or `runInContext` it writes through that scope's child logger, elsewhere through the root.
 *
 * Written here rather than taken from nestjs-pino: its current major declares Node >= 22.12 only,
 * and the hub runs on Node 20 (see `engines`); the part the hub uses is this small.
 */
@Injectable({ scope: Scope.TRANSIENT })
export class PinoLogger {
  private context = '';

  constructor(@Inject(ROOT_LOGGER) private readonly root: Pino) {}

  /** The pino logger in effect here: the request's or job's, else the root. */
  get logger(): Pino {
    return scopes.getStore()?.logger ?? this.root;
  }

  setContext(value: string): void {
    this.context = value;
  }

  trace(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('trace', objOrMsg, rest);
  }

  debug(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('debug', objOrMsg, rest);
  }

  info(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('info', objOrMsg, rest);
  }

  warn(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('warn', objOrMsg, rest);
  }

  error(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('error', objOrMsg, rest);
  }

  fatal(objOrMsg: unknown, ...rest: unknown[]): void {
    this.call('fatal', objOrMsg, rest);
  }

  /** Runs `fn` in its own logging scope: every line logged within it carries `bindings`. */
  runInContext<T>(fn: () => T, options: { bindings?: Record<string, unknown> } = {}): T {
    const logger = options.bindings ? this.root.child(options.bindings) : this.root;
    return scopes.run({ logger }, fn);
  }

  private call(level: Level, objOrMsg: unknown, rest: unknown[]): void {
    const write = writer(this.logger, level);
    const context = this.context ? { context: this.context } : {};
    if (typeof objOrMsg === 'object' && objOrMsg !== null) {
      const fields = objOrMsg instanceof Error ? { err: objOrMsg } : objOrMsg;
      write({ ...context, ...fields }, ...rest);
    } else if (this.context) {
      write(context, objOrMsg, ...rest);
    } else {
      write(objOrMsg, ...rest);
    }
  }
}

/** pino's level method, its overloads (object first or message first) taken as they come. */
function writer(logger: Pino, level: Level): (...args: unknown[]) => void {
  return logger[level].bind(logger) as (...args: unknown[]) => void;
}

/**
 * Nest's own logger (bootstrap, route mapping, unhandled exceptions) written as pino lines: the
 * last optional parameter Nest passes is the context.
 */
@Injectable()
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.call('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.call('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.call('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.call('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.call('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.call('fatal', message, params);
  }

  private call(level: Level, message: unknown, params: unknown[]): void {
    const write = writer(this.pino.logger, level);
    const fields: Record<string, unknown> = {};
    let extra = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      extra = params.slice(0, -1);
    }
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      write(fields, ...extra);
    } else if (
      // Nest's exception handlers call error(message, stack[, context]).
      level === 'error' &&
      typeof message === 'string' &&
      extra.length === 1 &&
      typeof extra[0] === 'string' &&
      /\n\s*at /.test(extra[0])
    ) {
      const err = new Error(message);
      err.stack = extra[0];
      write({ ...fields, err });
    } else {
      write(fields, message, ...extra);
    }
  }
}
