import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import pino, { type DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../../config/index.js';
import { CorrelationContext } from '../correlation/index.js';
import { NestPinoLogger, PinoLogger, ROOT_LOGGER, runWithRequestLogger } from './pino-logger.js';

const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** Paths pino removes from every line: credentials never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.apiKey',
  '*.password',
  '*.clientSecret',
];

interface RequestWithCorrelation extends IncomingMessage {
  correlationId?: string;
}

function createHttpLogger(config: AppConfig, destination?: DestinationStream): HttpLogger {
  return pinoHttp(
    {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify already chose the correlation id (see createHttpAdapter); reuse it.
      genReqId: (req: RequestWithCorrelation) => req.correlationId ?? 'unknown',
      customProps: (req: RequestWithCorrelation) => ({
        correlationId: req.correlationId,
      }),
      // Background work (jobs, syncs) logs outside a request: name its correlation id too.
      mixin: () => {
        const store = CorrelationContext.store();
        return store && store.origin !== 'http' ? { correlationId: store.correlationId } : {};
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req: IncomingMessage) => req.url === '/health/live',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * JSON logs with pino: one line per request (pino-http) and, inside a request, every line the
 * app logs carries the request's id and correlation id. `PinoLogger` for application classes,
 * `NestPinoLogger` for Nest's own messages (createApp installs it).
 */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly httpLogger: HttpLogger) {}

  /** `destination` lets tests read the JSON lines; the default is stdout. */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: HTTP_LOGGER,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => createHttpLogger(config, destination),
        },
        {
          provide: ROOT_LOGGER,
          inject: [HTTP_LOGGER],
          useFactory: (http: HttpLogger) => http.logger,
        },
        PinoLogger,
        NestPinoLogger,
      ],
      exports: [ROOT_LOGGER, PinoLogger, NestPinoLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const bindRequestLogger = (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
      // pino-http has set the request's logger (the last of allLogs when several are chained).
      runWithRequestLogger(req.allLogs.at(-1) ?? req.log, next);
    };
    // Nest 12 with Fastify needs the named wildcard to reach every route.
    consumer
      .apply(this.httpLogger, bindRequestLogger)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
