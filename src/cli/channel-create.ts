import 'reflect-metadata';
import { CHANNEL_KINDS, SCOPES } from '../platform/auth/auth.types.js';
import {
  type CreateChannelInput,
  validateChannelInput,
} from '../platform/auth/channels.service.js';
import { commaList, parseOptions, runChannelsCli, UsageError } from './channels-cli.js';

const USAGE = `Usage: npm run channel:create -- --name <name> --kind <kind> --scopes <scope,scope,...>
                              (--customers <C1,C2,...> | --all-customers) [--rate-limit <per minute>]

  --kind           ${CHANNEL_KINDS.join(' | ')}
  --scopes         comma-separated, from: ${SCOPES.join(', ')}
  --customers      ERP customer accounts the channel may act for (each with its child accounts)
  --all-customers  the whole customer book (internal channels: crm, operations)
  --rate-limit     optional: requests per minute for this channel (default: RATE_LIMIT_PER_MINUTE)

Prints the new channel's API key on stdout, once: it is stored hashed and cannot be shown again.
`;

/**
 * `npm run channel:create`: creates a channel and its first API key. stdout carries the key
 * alone, so `KEY=$(npm run -s channel:create -- ...)` works; everything else goes to stderr.
 */
runChannelsCli<CreateChannelInput>({
  name: 'channel:create',
  usage: USAGE,
  parse: parseArguments,
  // Fail on a bad kind, scope or customer number before starting a database for nothing.
  validate: validateChannelInput,
  async run(channels, input) {
    const { channel, apiKey } = await channels.createChannel(input);
    const scope = channel.customerScope;
    process.stderr.write(
      `Created channel ${channel.name} (${channel.kind}, id ${channel.id}) with scopes ` +
        `${channel.keys[0].scopes.join(', ') || '(none)'}` +
        `${channel.rateLimitPerMinute ? `, ${channel.rateLimitPerMinute} requests/minute` : ''}, ` +
        `customers: ${scope.kind === 'ALL' ? 'ALL' : scope.accounts.join(', ') || '(none)'}.\n` +
        'Its API key follows; it is shown this once, store it now:\n',
    );
    process.stdout.write(`${apiKey}\n`);
    return 0;
  },
});

function parseArguments(args: string[]): CreateChannelInput {
  const values = parseOptions(args, {
    name: { type: 'string' },
    kind: { type: 'string' },
    scopes: { type: 'string' },
    customers: { type: 'string' },
    'all-customers': { type: 'boolean' },
    'rate-limit': { type: 'string' },
  });
  const missing = ['name', 'kind', 'scopes'].filter((option) => !values[option]);
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
  const customers = values.customers;
  const all = values['all-customers'] === true;
  if ((typeof customers === 'string') === all) {
    throw new UsageError(
      'Say which customers the channel may act for: --customers C1,C2 or --all-customers (one of them).',
    );
  }
  const rateLimit = values['rate-limit'];
  if (rateLimit !== undefined && (typeof rateLimit !== 'string' || !/^\d+$/.test(rateLimit))) {
    throw new UsageError(`--rate-limit must be a whole number of requests per minute.`);
  }
  return {
    name: values.name as string,
    kind: values.kind as string,
    scopes: commaList(values.scopes as string),
    rateLimitPerMinute: rateLimit === undefined ? undefined : Number(rateLimit),
    customerScope:
      typeof customers === 'string'
        ? { kind: 'LISTED', accounts: commaList(customers) }
        : { kind: 'ALL' },
  };
}
