import { Platform1764400000000 } from './1764400000000-platform.js';
import { OpsExceptionDedupe1764400200000 } from './1764400200000-ops-exception-dedupe.js';
import { Outbox1764400300000 } from './1764400300000-outbox.js';
import { OpsExceptionActions1764610000000 } from './1764610000000-ops-exception-actions.js';
import { ChannelCustomers1765100000000 } from './1765100000000-channel-customers.js';

/** The platform's own migrations. The full hub list is assembled in src/migrations.ts. */
export const platformMigrations = [
  Platform1764400000000,
  OpsExceptionDedupe1764400200000,
  Outbox1764400300000,
  OpsExceptionActions1764610000000,
  ChannelCustomers1765100000000,
];
