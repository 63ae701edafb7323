import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { acceptOrGenerateCorrelationId, CORRELATION_HEADER } from '../correlation/index.js';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemLogger,
  sendProblem,
  toProblem,
} from '../problem/index.js';

/** Swagger UI needs inline scripts and styles; the API itself serves JSON only. */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
};

/**
 * The headers helmet sets with these options, as a constant map: answers Fastify or Node give
 * before any hook runs (a malformed URL, oversized headers) carry them too.
 */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** API answers are per caller and per moment: no shared or private cache may keep them. */
export const NO_STORE = 'no-store';

/** Whether an answer gets `Cache-Control: no-store`: the channel API and every problem. */
export function isNoStoreAnswer(url: string, contentType: unknown): boolean {
  return (
    url.startsWith('/v1/') ||
    url === '/v1' ||
    (typeof contentType === 'string' && contentType.startsWith(PROBLEM_CONTENT_TYPE))
  );
}

/**
 * Fastify's `frameworkErrors`: the router refuses a malformed URL (400) or an over-long path
 * parameter (414) before any hook runs. Answered like every other failure: problem+json with
 * the correlation id, the security headers and no-store.
 */
export function frameworkErrorHandler(
  headers: Record<string, string>,
  logger: () => ProblemLogger,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    void reply
      .headers(headers)
      .header(CORRELATION_HEADER, String(request.id))
      .header('cache-control', NO_STORE);
    sendProblem(error, request, reply, logger());
  };
}

const CLIENT_ERROR_REASONS: Record<string, { status: number; reason: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout' },
};

/**
 * Node's `clientError`: a request Node's parser refused (headers over the limit, a request line
 * that is not HTTP). There is no request object, so the answer is written on the socket, still
 * as problem+json with a fresh correlation id and the security headers.
 */
export function clientErrorHandler(
  headers: Record<string, string>,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = error.code ? CLIENT_ERROR_REASONS[error.code] : undefined;
    const correlationId = acceptOrGenerateCorrelationId(undefined);
    // Anything else Node's parser refuses (a request line that is not HTTP) is the client's: 400.
    const { problem } = toProblem(known ? error : { statusCode: 400 }, correlationId);
    const status = known?.status ?? 400;
    const reason = known?.reason ?? 'Bad Request';
    const body = JSON.stringify(problem);
    const lines = [
      `HTTP/1.1 ${status} ${reason}`,
      `content-type: ${PROBLEM_CONTENT_TYPE}`,
      `content-length: ${Buffer.byteLength(body)}`,
      `${CORRELATION_HEADER}: ${correlationId}`,
      `cache-control: ${NO_STORE}`,
      'connection: close',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    if (socket.writable) socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    socket.destroy(error);
  };
}
