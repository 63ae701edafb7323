import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import pino, { type DestinationStream } from 'pino';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/index.js';
import { CorrelationContext } from '../correlation/index.js';

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

/**
 * Query parameters whose value is a credential or could be one. Keys belong in headers, but a
 * client that puts one in the URL (`?api_key=`) must not get it written into the logs.
 */
const SENSITIVE_QUERY_NAME =
  /key|token|secret|passw|pwd|auth|credential|session|signature|^sig$|^code$|cookie/i;

/** The URL as logged: the path, and the query with the values of sensitive names redacted. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const path = url.slice(0, query);
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as sent.
      }
      return eq >= 0 && SENSITIVE_QUERY_NAME.test(name) ? `${rawName}=[redacted]` : pair;
    });
  return `${path}?${params.join('&')}`;
}

interface RequestWithCorrelation extends IncomingMessage {
  correlationId?: string;
}

@Module({})
export class LoggingModule {
  /** `destination` lets tests read the JSON lines; the default is stdout. */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            // nestjs-pino's default route pattern does not reach Fastify routes under Nest 12.
            forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
            pinoHttp: [
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
                  return store && store.origin !== 'http'
                    ? { correlationId: store.correlationId }
                    : {};
                },
                serializers: {
                  req: (req: { id: string; method: string; url: string }) => ({
                    id: req.id,
                    method: req.method,
                    url: redactUrl(req.url),
                  }),
                  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                },
                autoLogging: {
                  ignore: (req: IncomingMessage) => req.url === '/health/live',
                },
              },
              destination ?? pino.destination({ dest: 1, sync: false }),
            ],
          }),
        }),
      ],
    };
  }
}
