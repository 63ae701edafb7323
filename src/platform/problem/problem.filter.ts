import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from '../logging/index.js';
import { PreparedResponse } from './prepared-response.js';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { toProblem } from './to-problem.js';

/** The single place where failures become HTTP answers: RFC 9457 problem+json, always. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(ProblemFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(exception, request, reply, this.logger);
  }
}

export interface ProblemLogger {
  error(obj: object, msg: string): void;
}

export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: ProblemLogger,
): void {
  if (exception instanceof PreparedResponse) {
    if (!reply.sent)
      void reply.status(exception.status).headers(exception.headers).send(exception.body);
    return;
  }
  const { problem, headers, internal } = toProblem(exception, String(request.id), request.url);
  if (internal) logger.error({ err: exception, correlationId: request.id }, 'request failed');
  if (reply.sent) return;
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
