import 'reflect-metadata';
import type { CustomerScope } from '../platform/auth/auth.types.js';
import { validateCustomerScope } from '../platform/auth/channels.service.js';
import type { Violation } from '../platform/errors/index.js';
import {
  channelNamed,
  commaList,
  parseOptions,
  requiredChannel,
  runChannelsCli,
  UsageError,
} from './channels-cli.js';

const USAGE = `Usage: npm run channel:customers -- --channel <name> [--add <C1,C2,...>] [--remove <C1,...>]
       npm run channel:customers -- --channel <name> --set <C1,C2,...>
       npm run channel:customers -- --channel <name> --all
       npm run channel:customers -- --channel <name>            (shows the scope)

  --add     ERP customer accounts the channel may also act for (each with its child accounts);
            a channel that acted for every customer then acts for these only
  --remove  accounts it may no longer act for
  --set     exactly these accounts (an empty list: no customer at all)
  --all     every customer (internal channels: crm, operations)

Prints the resulting scope on stdout: ALL, or one account per line. Running hubs apply the
change at once.
`;

type Change =
  | { channel: string; action: 'show' }
  | { channel: string; action: 'all' }
  | { channel: string; action: 'set'; accounts: string[] }
  | { channel: string; action: 'edit'; add: string[]; remove: string[] };

/** `npm run channel:customers`: which customers a channel may act for (read, quote, order). */
runChannelsCli<Change>({
  name: 'channel:customers',
  usage: USAGE,
  parse: parseArguments,
  validate(change): Violation[] {
    if (change.action === 'set')
      return validateCustomerScope({ kind: 'LISTED', accounts: change.accounts });
    if (change.action === 'edit') {
      return validateCustomerScope({ kind: 'LISTED', accounts: change.add });
    }
    return [];
  },
  async run(channels, change) {
    const channel = await channelNamed(channels, change.channel);
    let scope: CustomerScope = channel.customerScope;
    if (change.action === 'all')
      scope = await channels.setCustomerScope(channel.id, { kind: 'ALL' });
    if (change.action === 'set') {
      scope = await channels.setCustomerScope(channel.id, {
        kind: 'LISTED',
        accounts: change.accounts,
      });
    }
    if (change.action === 'edit') {
      if (change.add.length > 0) scope = await channels.addCustomers(channel.id, change.add);
      if (change.remove.length > 0)
        scope = await channels.removeCustomers(channel.id, change.remove);
    }
    process.stderr.write(
      `Channel ${channel.name} (${channel.kind}) acts for ` +
        `${scope.kind === 'ALL' ? 'every customer' : `${scope.accounts.length} listed account(s) and their child accounts`}.\n`,
    );
    process.stdout.write(
      scope.kind === 'ALL' ? 'ALL\n' : scope.accounts.map((a) => `${a}\n`).join(''),
    );
    return 0;
  },
});

function parseArguments(args: string[]): Change {
  const values = parseOptions(args, {
    channel: { type: 'string' },
    add: { type: 'string' },
    remove: { type: 'string' },
    set: { type: 'string' },
    all: { type: 'boolean' },
  });
  const channel = requiredChannel(values);
  const edits = typeof values.add === 'string' || typeof values.remove === 'string';
  const modes = [edits, typeof values.set === 'string', values.all === true].filter(Boolean);
  if (modes.length > 1) {
    throw new UsageError('Use --add/--remove, --set or --all, not several of them.');
  }
  if (values.all === true) return { channel, action: 'all' };
  if (typeof values.set === 'string')
    return { channel, action: 'set', accounts: commaList(values.set) };
  if (edits) {
    return {
      channel,
      action: 'edit',
      add: typeof values.add === 'string' ? commaList(values.add) : [],
      remove: typeof values.remove === 'string' ? commaList(values.remove) : [],
    };
  }
  return { channel, action: 'show' };
}
