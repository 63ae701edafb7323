import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/index.js';
import {
  acceptOrGenerateCorrelationId,
  CORRELATION_HEADER,
  CorrelationContext,
} from '../correlation/index.js';
import { buildOpenApiDocument, mountSwaggerUi } from '../openapi/swagger.js';
import { createValidationPipe, type ProblemLogger } from '../problem/index.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  HELMET_OPTIONS,
  isNoStoreAnswer,
  NO_STORE,
  securityHeaders,
} from './http-edge.js';
import { jsonNestsDeeperThan, jsonTooDeep, MAX_JSON_DEPTH } from './json-body.js';
import { assertSafeRequestInput, jsonMayHoldUnsafeCharacter } from './unsafe-input.js';

export interface CreateAppOptions {
  /** Skip the Swagger UI mount (the OpenAPI generator builds the document itself). */
  swaggerUi?: boolean;
}

/** Builds the Fastify-based Nest application; `main.ts`, tests and tools all go through here. */
export async function createApp(
  rootModule: DynamicModule,
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const edgeHeaders = securityHeaders(HELMET_OPTIONS);
  // Replaced by the app's logger once it exists; framework errors are the client's (never logged
  // as failures), so nothing is lost before that.
  let problemLogger: ProblemLogger = { error: () => undefined };
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    frameworkErrors: frameworkErrorHandler(edgeHeaders, () => problemLogger),
    clientErrorHandler: clientErrorHandler(edgeHeaders),
    requestIdHeader: false,
    // The correlation id is the request id: taken from the caller when it is safe, else generated.
    genReqId: (req: IncomingMessage & { correlationId?: string }) => {
      const id = acceptOrGenerateCorrelationId(req.headers[CORRELATION_HEADER]);
      req.correlationId = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // The body parsers are ours (below): JSON only, depth-checked.
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  problemLogger = { error: (obj, msg) => logger.error(obj, msg) };

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    // helmet's headers for our options are constant: set from one map on every answer, the
    // same map the answers given before any hook (framework and client errors) carry.
    void reply.headers(edgeHeaders).header(CORRELATION_HEADER, request.id);
    CorrelationContext.run({ correlationId: String(request.id), origin: 'http' }, done);
  });
  // JSON is the only request media type (README): Fastify's text/plain parser and Nest's
  // urlencoded one would hand a string or a flat form to DTOs; without them both answer 415.
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: config.http.bodyLimitBytes },
    (request, body, done) => {
      // Checked on the raw text, before anything recurses into it.
      const text = typeof body === 'string' ? body : body.toString('utf8');
      // No content is no body (clients often label an empty body JSON): a route whose body is
      // optional takes it as absent, one that needs a body lists what is missing.
      if (text.length === 0) {
        done(null, undefined);
        return;
      }
      if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
        done(jsonTooDeep(), undefined);
        return;
      }
      parseJson(request, text, (error, parsed) => {
        if (error || !jsonMayHoldUnsafeCharacter(text)) {
          done(error, parsed);
          return;
        }
        try {
          assertSafeRequestInput({ body: parsed });
          done(null, parsed);
        } catch (unsafe) {
          done(unsafe as Error, undefined);
        }
      });
    },
  );
  // NUL and unpaired surrogates end in PostgreSQL errors wherever a string goes: refused for
  // every route at once, before validation, with the field named (the body's by the parser).
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertSafeRequestInput({ params: request.params, query: request.query });
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (
      !reply.hasHeader('cache-control') &&
      isNoStoreAnswer(request.url, reply.getHeader('content-type'))
    ) {
      void reply.header('cache-control', NO_STORE);
    }
    done(null, payload);
  });
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins,
      exposedHeaders: [CORRELATION_HEADER],
    });
  }
  app.useGlobalPipes(createValidationPipe());
  if (options.swaggerUi !== false) mountSwaggerUi(app, buildOpenApiDocument(app));
  return app;
}
