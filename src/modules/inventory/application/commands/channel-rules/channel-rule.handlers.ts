import {
  CommandHandler,
  type ICommandHandler,
  QueryHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ChannelOrmEntity } from '../../../../../platform/auth/index.js';
import { checkChannelRule } from '../../../domain/channel-rule.js';
import { ChannelRuleStore } from '../../../infrastructure/channel-rule.store.js';
import { ChannelRules, type EffectiveRule } from '../../channel-rules.js';
import { InventoryErrors } from '../../inventory.errors.js';
import {
  GetChannelRuleQuery,
  ResetChannelRuleCommand,
  SetChannelRuleCommand,
} from './channel-rule.commands.js';

async function channelKind(dataSource: DataSource, channelId: string): Promise<string> {
  const channel = await dataSource
    .getRepository(ChannelOrmEntity)
    .findOne({ where: { id: channelId }, select: { id: true, kind: true } });
  if (!channel) throw InventoryErrors.channelNotFound(channelId);
  return channel.kind;
}

@CommandHandler(SetChannelRuleCommand)
export class SetChannelRuleHandler implements ICommandHandler<SetChannelRuleCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ChannelRuleStore,
    private readonly rules: ChannelRules,
  ) {}

  async execute(command: SetChannelRuleCommand): Promise<EffectiveRule> {
    await channelKind(this.dataSource, command.channelId);
    const checked = checkChannelRule({
      warehouses: command.rule.warehouses,
      buffer: { type: command.rule.buffer.type, value: command.rule.buffer.value ?? '0' },
    });
    if (!checked.ok) throw InventoryErrors.invalidChannelRule(checked.problems);
    await this.store.save(this.dataSource.manager, command.channelId, checked.value);
    this.rules.forget(command.channelId);
    return { rule: checked.value, explicit: true };
  }
}

@CommandHandler(ResetChannelRuleCommand)
export class ResetChannelRuleHandler implements ICommandHandler<ResetChannelRuleCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ChannelRuleStore,
    private readonly rules: ChannelRules,
  ) {}

  async execute(command: ResetChannelRuleCommand): Promise<EffectiveRule> {
    const kind = await channelKind(this.dataSource, command.channelId);
    await this.store.remove(this.dataSource.manager, command.channelId);
    this.rules.forget(command.channelId);
    return this.rules.effective({ channelId: command.channelId, kind });
  }
}

@QueryHandler(GetChannelRuleQuery)
export class GetChannelRuleHandler implements IQueryHandler<GetChannelRuleQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: ChannelRules,
  ) {}

  async execute(query: GetChannelRuleQuery): Promise<EffectiveRule> {
    const kind = await channelKind(this.dataSource, query.channelId);
    this.rules.forget(query.channelId);
    return this.rules.effective({ channelId: query.channelId, kind });
  }
}
