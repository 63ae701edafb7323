import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from '../logging/index.js';
import { AppConfig } from '../../config/index.js';
import { ChannelsService } from './channels.service.js';

/**
 * Channels that existed before customer scopes were migrated to ALL (so no integration broke).
 * An external channel (web shop, marketplace, EDI, WMS, supplier) acting for every customer is
 * most likely one that was never narrowed: say so at every start until operations decides.
 */
@Injectable()
export class CustomerScopeAudit implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly channels: ChannelsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CustomerScopeAudit.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.database.connect) return;
    const broad = await this.channels.externalChannelsWithAllCustomers();
    if (broad.length === 0) return;
    this.logger.warn(
      { channels: broad.map((c) => ({ id: c.id, name: c.name, kind: c.kind })) },
      `${broad.length} external channel(s) may act for every customer (customer scope ALL): ` +
        'list their accounts with `npm run channel:customers -- --channel <name> --set C1,C2` ' +
        'or PUT /v1/admin/channels/{id}/customers',
    );
  }
}
