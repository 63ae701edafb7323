import type { ErpChangeTrigger, ErpFeed } from '../../../platform/erp-changes/index.js';
import { describeError, type ErpLogger } from './erp-logger.js';

/**
 * What one cheap look at the ERP found: per source (a table, an entity set), an opaque mark that
 * moves whenever its data changed (a latest-modified instant, a write counter). A source left
 * out was not looked at this time; one seen for the first time only sets its baseline.
 */
export type ErpChangeMarks = Record<string, string>;

export interface ErpChangePollerOptions {
  /** Seconds between looks. */
  intervalSeconds: number;
  /** Takes the marks; throwing counts as a failed look (logged, tried again next interval). */
  probe: () => Promise<ErpChangeMarks>;
  /** The hub feeds a change to a source touches. */
  feedsOf: (source: string) => readonly ErpFeed[];
  trigger: ErpChangeTrigger;
  /** Names the poller in logs and in the trigger's source. */
  source: string;
  logger: ErpLogger;
}

/**
 * The cheap frequent poll between scheduled syncs: every interval it takes the ERP's change marks
 * and asks for a delta sync of each feed whose mark moved since the previous look. The first look
 * only takes the baseline (the schedules and start-up cover what happened before). Marks live in
 * this instance's memory: each hub instance polls on its own, and the feeds' sync queues
 * coalesce what several instances ask for (ErpChangeTrigger).
 */
export class ErpChangePoller {
  private marks: ErpChangeMarks | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private failing = false;
  private stopped = false;
  /** Looks taken and feeds triggered, for health details and tests. */
  readonly stats = { looks: 0, triggered: 0, failures: 0, lastLookAt: null as string | null };

  constructor(private readonly options: ErpChangePollerOptions) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const tick = (): void => {
      this.running = this.look().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalSeconds * 1000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look: compare the marks, trigger the feeds that moved. Never throws. */
  async look(): Promise<ErpFeed[]> {
    let moved: ErpFeed[] = [];
    try {
      const marks = await this.options.probe();
      const before = this.marks;
      const feeds = new Set<ErpFeed>();
      for (const [source, mark] of Object.entries(marks)) {
        const previous = before?.[source];
        if (previous !== undefined && previous !== mark) {
          for (const feed of this.options.feedsOf(source)) feeds.add(feed);
        }
      }
      moved = [...feeds];
      if (moved.length > 0) {
        await this.options.trigger.changed(moved, this.options.source);
        this.stats.triggered += moved.length;
        this.options.logger.info(
          { feeds: moved, source: this.options.source },
          'ERP data moved: delta sync requested',
        );
      }
      // Only once the trigger is stored: a failed enqueue is retried on the next look.
      this.marks = { ...before, ...marks };
      this.stats.looks++;
      this.stats.lastLookAt = new Date().toISOString();
      if (this.failing) {
        this.failing = false;
        this.options.logger.info({ source: this.options.source }, 'ERP change poll recovered');
      }
    } catch (error) {
      this.stats.failures++;
      if (!this.failing) {
        this.failing = true;
        this.options.logger.warn(
          { err: describeError(error), source: this.options.source },
          'ERP change poll failed; trying again next interval',
        );
      }
    }
    return moved;
  }
}
