import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from '../../../platform/logging/index.js';
import type { DataSource, EntityManager } from 'typeorm';
import type { StoredQuote } from '../application/quotes/stored-quote.js';

interface QuoteRow {
  id: string;
  channel_id: string | null;
  customer_id: string;
  ship_to_id: string | null;
  currency: string;
  pricing_date: string;
  price_version: string;
  lines: StoredQuote['lines'];
  promotion_codes: StoredQuote['promotionCodes'];
  totals: StoredQuote['totals'];
  created_at: Date;
  expires_at: Date;
}

/** How long a quote waits to be written with the ones issued after it. */
const FLUSH_DELAY_MS = 20;
/** The most quotes one INSERT carries (a full batch is written at once). */
const MAX_BATCH = 500;
/** Kept in memory while the database refuses writes; beyond that the oldest are dropped. */
const MAX_PENDING = 20_000;
const RETRY_DELAY_MS = 1000;

/**
 * Issued quotes, written behind the response in batches: a quote request never waits for the
 * database. Quotes issued within FLUSH_DELAY_MS go in one INSERT (without waiting for the WAL
 * flush), so under load the hub writes a few statements per second instead of one per quote.
 * Until written, a quote is served from memory by find(), so this instance can verify it at
 * once; another instance sees it within a few tens of milliseconds.
 *
 * The trade-off, chosen because a quote is a price promise that can be issued again: a crash (of
 * this instance, or of PostgreSQL within a WAL flush) can lose the last quotes. Order capture then
 * finds the quote id unknown, and the channel re-quotes. Nothing is ever half written.
 */
@Injectable()
export class QuoteStore implements OnApplicationShutdown {
  private pending = new Map<string, StoredQuote>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(QuoteStore.name);
  }

  save(quote: StoredQuote): void {
    this.pending.set(quote.quoteId, quote);
    if (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
      this.logger.error({ quoteId: oldest }, 'quote dropped: the database refuses quote writes');
    }
    if (this.pending.size >= MAX_BATCH) this.flushSoon(0);
    else this.flushSoon(FLUSH_DELAY_MS);
  }

  async find(quoteId: string): Promise<StoredQuote | null> {
    const pending = this.pending.get(quoteId);
    if (pending) return pending;
    const rows = (await this.dataSource.query(
      `SELECT id, channel_id, customer_id, ship_to_id, trim(currency) AS currency,
         pricing_date::text AS pricing_date, price_version, lines, promotion_codes, totals,
         created_at, expires_at
       FROM pr_quote WHERE id = $1`,
      [quoteId],
    )) as QuoteRow[];
    const row = rows[0];
    // Written while the query ran: the row is found next time, the copy is here now.
    if (!row) return this.pending.get(quoteId) ?? null;
    return {
      quoteId: row.id,
      channelId: row.channel_id,
      customerId: row.customer_id,
      shipToId: row.ship_to_id,
      currency: row.currency,
      pricingDate: row.pricing_date,
      priceVersion: row.price_version,
      lines: row.lines,
      promotionCodes: row.promotion_codes,
      totals: row.totals,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  /** Writes every pending quote now (shutdown); throws when the database refuses them. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.flushing) await this.flushing;
    while (this.pending.size > 0) await this.writePending();
  }

  /** Removes quotes that expired before `before`; returns how many. */
  async purgeExpired(before: Date): Promise<number> {
    const rows = (await this.dataSource.query(
      `DELETE FROM pr_quote WHERE expires_at < $1 RETURNING 1`,
      [before],
    )) as unknown[];
    return rows.length;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush().catch((error: unknown) =>
      this.logger.error(
        { err: error, quotes: this.pending.size },
        'quotes not written at shutdown',
      ),
    );
  }

  private flushSoon(delayMs: number): void {
    if (this.flushing) return;
    // After a failed write, wait before the next attempt whatever asks for one.
    const wait = Date.now() - this.failedAt < RETRY_DELAY_MS ? RETRY_DELAY_MS : delayMs;
    if (this.timer && wait > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.writePending()
        .catch(() => {
          this.failedAt = Date.now();
        })
        .finally(() => {
          this.flushing = null;
          if (this.pending.size > 0) this.flushSoon(FLUSH_DELAY_MS);
        });
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async writePending(): Promise<void> {
    const batch = [...this.pending.values()].slice(0, MAX_BATCH);
    if (batch.length === 0) return;
    try {
      await this.dataSource.transaction(async (manager) => {
        // No wait for the WAL flush (see the class comment).
        await manager.query(`SET LOCAL synchronous_commit TO OFF`);
        await insertRows(manager, batch);
      });
    } catch (error) {
      this.logger.error({ err: error, quotes: batch.length }, 'writing quotes failed; retrying');
      throw error;
    }
    for (const quote of batch) {
      // A quote saved again under the same id meanwhile is written next time.
      if (this.pending.get(quote.quoteId) === quote) this.pending.delete(quote.quoteId);
    }
  }
}

async function insertRows(manager: EntityManager, quotes: StoredQuote[]): Promise<void> {
  await manager.query(
    `INSERT INTO pr_quote (id, channel_id, customer_id, ship_to_id, currency, pricing_date,
       price_version, lines, promotion_codes, totals, created_at, expires_at)
     SELECT id, channel_id, customer_id, ship_to_id, currency, pricing_date, price_version,
       lines, promotion_codes, totals, created_at, expires_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, channel_id uuid, customer_id text,
       ship_to_id text, currency text, pricing_date date, price_version text, lines jsonb,
       promotion_codes jsonb, totals jsonb, created_at timestamptz, expires_at timestamptz)
     ON CONFLICT (id) DO NOTHING`,
    [
      JSON.stringify(
        quotes.map((q) => ({
          id: q.quoteId,
          channel_id: q.channelId,
          customer_id: q.customerId,
          ship_to_id: q.shipToId,
          currency: q.currency,
          pricing_date: q.pricingDate,
          price_version: q.priceVersion,
          lines: q.lines,
          promotion_codes: q.promotionCodes,
          totals: q.totals,
          created_at: q.createdAt.toISOString(),
          expires_at: q.expiresAt.toISOString(),
        })),
      ),
    ],
  );
}
