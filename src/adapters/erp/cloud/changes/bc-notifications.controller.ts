import { Body, Controller, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../../platform/auth/index.js';
import { CloudErpChanges } from './cloud-erp-changes.service.js';
import { BC_NOTIFICATION_PATH } from './bc-subscription.manager.js';

/**
 * Business Central's webhook receiver: not a channel API (no API key; BC authenticates with the
 * subscription's clientState), so it stays out of the channel documentation. Answers at once:
 * the notification only queues delta syncs. Statuses follow BC's retry rules (shared/erp §5.12):
 * 5xx when the sync could not be queued (BC retries for 36 h); 401 for a wrong clientState and
 * 404 when webhooks are off, which make BC drop the subscription (the renewal job re-creates
 * ours with the current secret).
 */
@ApiExcludeController()
@Public()
@Controller(BC_NOTIFICATION_PATH.slice(1))
export class BcNotificationsController {
  constructor(private readonly changes: CloudErpChanges) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async notify(
    @Query('validationToken') validationToken: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    if (validationToken !== undefined) {
      // The handshake of a create or renewal: the token back, as plain text, with 200.
      if (!this.changes.acceptsHandshakes) {
        void reply.code(HttpStatus.NOT_FOUND);
        return undefined;
      }
      void reply.code(HttpStatus.OK).type('text/plain; charset=utf-8');
      return validationToken;
    }
    const outcome = await this.changes.receive(body);
    if (outcome.status === 'not-configured') void reply.code(HttpStatus.NOT_FOUND);
    else if (outcome.status === 'malformed') void reply.code(HttpStatus.BAD_REQUEST);
    else if (outcome.status === 'forged') void reply.code(HttpStatus.UNAUTHORIZED);
    return undefined;
  }
}
