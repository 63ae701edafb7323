import helmet from '@fastify/helmet';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger } from '../logging/index.js';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/index.js';
import {
  acceptOrGenerateCorrelationId,
  CORRELATION_HEADER,
  CorrelationContext,
} from '../correlation/index.js';
import { buildOpenApiDocument, mountSwaggerUi } from '../openapi/swagger.js';
import { createValidationPipe } from '../problem/index.js';

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
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
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
  });
  app.useLogger(app.get(NestPinoLogger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    CorrelationContext.run({ correlationId: String(request.id), origin: 'http' }, done);
  });
  await app.register(helmet, {
    // Swagger UI needs inline scripts and styles; the API itself serves JSON only.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
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
