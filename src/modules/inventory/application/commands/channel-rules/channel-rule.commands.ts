import { Command, Query } from '@nestjs/cqrs';
import type { EffectiveRule } from '../../channel-rules.js';

export interface ChannelRuleInput {
  warehouses: string[] | null;
  buffer: { type: string; value?: string };
}

/** Sets a channel's own availability rule (replacing its kind's default). */
export class SetChannelRuleCommand extends Command<EffectiveRule> {
  constructor(
    readonly channelId: string,
    readonly rule: ChannelRuleInput,
  ) {
    super();
  }
}

/** Removes a channel's own rule: its kind's default applies again. */
export class ResetChannelRuleCommand extends Command<EffectiveRule> {
  constructor(readonly channelId: string) {
    super();
  }
}

/** The rule that applies to a channel, and whether it is the channel's own. */
export class GetChannelRuleQuery extends Query<EffectiveRule> {
  constructor(readonly channelId: string) {
    super();
  }
}
