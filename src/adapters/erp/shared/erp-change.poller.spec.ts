import type { ErpChangeTrigger, ErpFeed } from '../../../platform/erp-changes/index.js';
import { type ErpChangeMarks, ErpChangePoller } from './erp-change.poller.js';
import { SILENT_ERP_LOGGER } from './erp-logger.js';

/** Records what the poller asks for; `failing` makes the job store unreachable. */
class RecordingTrigger {
  readonly asked: ErpFeed[][] = [];
  failing = false;
  changed(feeds: Iterable<ErpFeed>): Promise<ErpFeed[]> {
    if (this.failing) return Promise.reject(new Error('job store unreachable'));
    const list = [...feeds];
    this.asked.push(list);
    return Promise.resolve(list);
  }
}

const FEEDS: Record<string, ErpFeed[]> = {
  ar_customer: ['master-data'],
  in_item: ['master-data', 'pricing'],
  in_balance: ['inventory'],
};

function pollerOver(looks: ErpChangeMarks[], trigger: RecordingTrigger): ErpChangePoller {
  let i = 0;
  return new ErpChangePoller({
    intervalSeconds: 1,
    probe: () => Promise.resolve(looks[Math.min(i++, looks.length - 1)]),
    feedsOf: (source) => FEEDS[source] ?? [],
    trigger: trigger as unknown as ErpChangeTrigger,
    source: 'test',
    logger: SILENT_ERP_LOGGER,
  });
}

describe(ErpChangePoller.name, () => {
  it('takes a baseline first, then triggers only the feeds whose sources moved', async () => {
    const trigger = new RecordingTrigger();
    const sut = pollerOver(
      [
        { ar_customer: 'a', in_item: 'x', in_balance: '1' },
        { ar_customer: 'a', in_item: 'x', in_balance: '2' },
        { ar_customer: 'b', in_item: 'y', in_balance: '2' },
      ],
      trigger,
    );
    expect(await sut.look()).toEqual([]);
    expect(await sut.look()).toEqual(['inventory']);
    expect((await sut.look()).sort()).toEqual(['master-data', 'pricing']);
    expect(trigger.asked).toHaveLength(2);
  });

  it('treats a source seen for the first time as a baseline, not a change', async () => {
    const trigger = new RecordingTrigger();
    const sut = pollerOver([{ ar_customer: 'a' }, { ar_customer: 'a', in_balance: '9' }], trigger);
    await sut.look();
    expect(await sut.look()).toEqual([]);
    expect(trigger.asked).toEqual([]);
  });

  it('asks again on the next look when the trigger could not be stored', async () => {
    const trigger = new RecordingTrigger();
    const sut = pollerOver([{ in_balance: '1' }, { in_balance: '2' }], trigger);
    await sut.look();
    trigger.failing = true;
    await sut.look();
    expect(sut.stats.failures).toBe(1);
    trigger.failing = false;
    expect(await sut.look()).toEqual(['inventory']);
  });
});
