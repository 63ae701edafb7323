import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { checkStockEvent, type StockEvent } from '../../../domain/stock-event.js';
import { inTransaction } from '../../../infrastructure/sql.js';
import { StockCatalog } from '../../stock-catalog.js';
import { ApplyStockEventsCommand, type StockEventResult } from './apply-stock-events.command.js';
import { type IndexedEvent, StockEventsApplier } from './stock-events.applier.js';

@CommandHandler(ApplyStockEventsCommand)
export class ApplyStockEventsHandler implements ICommandHandler<ApplyStockEventsCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: StockCatalog,
    private readonly applier: StockEventsApplier,
  ) {}

  async execute(command: ApplyStockEventsCommand): Promise<StockEventResult[]> {
    const now = Date.now();
    const results: StockEventResult[] = [];
    const checked: IndexedEvent[] = [];
    command.events.forEach((raw, index) => {
      const check = checkStockEvent(raw, now);
      if (check.ok) checked.push({ index, event: check.value });
      else
        results.push({
          index,
          eventId: readableId(raw),
          status: 'REJECTED',
          problems: check.problems,
        });
    });
    const refused = await this.catalog.problems(checked.map((c) => c.event));
    const accepted = checked.filter(({ index, event }) => {
      const problems = refused.get(event);
      if (problems) results.push({ index, eventId: event.eventId, status: 'REJECTED', problems });
      return !problems;
    });
    if (accepted.length > 0) {
      results.push(
        ...(await inTransaction(this.dataSource, (manager) =>
          this.applier.apply(manager, accepted, command.channelId),
        )),
      );
    }
    return results.sort((a, b) => a.index - b.index);
  }
}

function readableId(raw: unknown): string | null {
  const id = (raw as Partial<StockEvent> | null)?.eventId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}
