import 'reflect-metadata';
import { type ApiKeyView, MAX_GRACE_SECONDS } from '../platform/auth/channels.service.js';
import {
  channelNamed,
  parseOptions,
  requiredChannel,
  runChannelsCli,
  UsageError,
} from './channels-cli.js';

const USAGE = `Usage: npm run channel:key -- --channel <name> --list
       npm run channel:key -- --channel <name> --rotate [--grace-seconds <n>]
       npm run channel:key -- --channel <name> --revoke <key prefix or id>

  --list           the channel's keys: prefix, scopes, created, last used, revoked, expires
  --rotate         issues a new key (printed once on stdout) with the scopes of the newest live
                   key and retires the live keys: at once, or after --grace-seconds (max ${MAX_GRACE_SECONDS})
  --revoke         revokes one key at once, on every running hub instance

Revoked, expired and unknown keys are refused alike (401 UNAUTHENTICATED).
`;

type Action =
  | { channel: string; action: 'list' }
  | { channel: string; action: 'rotate'; graceSeconds: number }
  | { channel: string; action: 'revoke'; key: string };

/** `npm run channel:key`: a channel's API key lifecycle (list, rotate with grace, revoke). */
runChannelsCli<Action>({
  name: 'channel:key',
  usage: USAGE,
  parse: parseArguments,
  async run(channels, action) {
    const channel = await channelNamed(channels, action.channel);
    if (action.action === 'list') {
      process.stdout.write((await channels.listKeys(channel.id)).map(describeKey).join(''));
      return 0;
    }
    if (action.action === 'revoke') {
      const key = await channels.revokeChannelKey(channel.id, action.key);
      process.stderr.write(`Revoked key ${key.prefix} of channel ${channel.name}.\n`);
      process.stdout.write(describeKey(key));
      return 0;
    }
    const rotated = await channels.rotateKey(channel.id, { graceSeconds: action.graceSeconds });
    for (const old of rotated.retired) {
      process.stderr.write(
        old.revokedAt
          ? `Revoked key ${old.prefix}.\n`
          : `Key ${old.prefix} keeps working until ${old.expiresAt?.toISOString()}.\n`,
      );
    }
    process.stderr.write(
      `New key ${rotated.key.prefix} for channel ${channel.name} (scopes ${rotated.key.scopes.join(', ') || '(none)'}); ` +
        'it is shown this once, store it now:\n',
    );
    process.stdout.write(`${rotated.apiKey}\n`);
    return 0;
  },
});

/** One tab-separated line per key: prefix, state, scopes, created, last used, revoked, expires. */
function describeKey(key: ApiKeyView): string {
  const state = key.revokedAt
    ? 'revoked'
    : key.expiresAt && key.expiresAt.getTime() <= Date.now()
      ? 'expired'
      : key.expiresAt
        ? 'retiring'
        : 'live';
  return (
    [
      key.prefix,
      state,
      key.scopes.join(',') || '-',
      key.createdAt.toISOString(),
      key.lastUsedAt?.toISOString() ?? '-',
      key.revokedAt?.toISOString() ?? '-',
      key.expiresAt?.toISOString() ?? '-',
    ].join('\t') + '\n'
  );
}

function parseArguments(args: string[]): Action {
  const values = parseOptions(args, {
    channel: { type: 'string' },
    list: { type: 'boolean' },
    rotate: { type: 'boolean' },
    revoke: { type: 'string' },
    'grace-seconds': { type: 'string' },
  });
  const channel = requiredChannel(values);
  const actions = [values.list === true, values.rotate === true, typeof values.revoke === 'string'];
  if (actions.filter(Boolean).length !== 1) {
    throw new UsageError('Say one of --list, --rotate or --revoke <prefix>.');
  }
  const grace = values['grace-seconds'];
  if (grace !== undefined && values.rotate !== true) {
    throw new UsageError('--grace-seconds goes with --rotate.');
  }
  if (grace !== undefined && (typeof grace !== 'string' || !/^\d+$/.test(grace))) {
    throw new UsageError('--grace-seconds must be a whole number of seconds.');
  }
  if (values.list === true) return { channel, action: 'list' };
  if (values.rotate === true) {
    return { channel, action: 'rotate', graceSeconds: grace === undefined ? 0 : Number(grace) };
  }
  return { channel, action: 'revoke', key: values.revoke as string };
}
