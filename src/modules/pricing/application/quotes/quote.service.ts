import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../../config/index.js';
import { type CustomerScope, customerScopeAllows } from '../../../../platform/auth/index.js';
import {
  customerAccountChain,
  evaluateQuote,
  unknownCustomerRefusal,
} from '../../domain/quote-engine.js';
import type { PricedQuote, QuoteInput } from '../../domain/quote.js';
import { QuoteStore } from '../../infrastructure/quote.store.js';
import { PriceCache } from '../price-cache/price-cache.js';
import { PricingErrors } from '../pricing.errors.js';
import { todayIn } from '../../../../platform/clock/index.js';
import type { StoredQuote } from './stored-quote.js';

/** A quote request as the application takes it: the pricing date may be left to the engine. */
export type QuoteRequest = Omit<QuoteInput, 'pricingDate'> & { pricingDate?: string | null };

export interface IssuedQuote extends PricedQuote {
  quoteId: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Prices quotes from the in-memory cache, and issues them (stored, with an id valid for
 * PRICING_QUOTE_TTL_SECONDS). No I/O on the way, except one rate-limited cache refresh for a
 * customer or SKU the cache does not know yet: quotes are written behind the response.
 */
@Injectable()
export class QuoteService {
  constructor(
    private readonly cache: PriceCache,
    private readonly store: QuoteStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * Throws QUOTE refusals (422) as ApplicationErrors; line problems are in the lines. A customer
   * outside `customerScope` (the calling channel's; none = no restriction) is refused exactly as
   * an unknown one (UNKNOWN_CUSTOMER), so contract prices of other channels' customers stay hidden.
   */
  async price(request: QuoteRequest, customerScope?: CustomerScope): Promise<PricedQuote> {
    let index = await this.cache.current();
    const input: QuoteInput = {
      ...request,
      pricingDate: request.pricingDate ?? todayIn(this.config.pricing.timeZone),
    };
    const unknown =
      index.customer(input.customerId) === undefined ||
      input.lines.some((line) => index.item(line.sku) === undefined);
    if (unknown) index = await this.cache.refreshAfterMiss();
    if (customerScope?.kind === 'LISTED') {
      const chain = customerAccountChain(index, input.customerId);
      if (chain === undefined || !customerScopeAllows(customerScope, chain)) {
        throw PricingErrors.quoteRefused(unknownCustomerRefusal(input.customerId));
      }
    }
    const result = evaluateQuote(index, input);
    if (!result.ok) throw PricingErrors.quoteRefused(result.refusal);
    return result.quote;
  }

  async issue(
    request: QuoteRequest,
    channelId: string | null,
    customerScope?: CustomerScope,
  ): Promise<IssuedQuote> {
    const quote = await this.price(request, customerScope);
    const createdAt = new Date();
    const issued: IssuedQuote = {
      ...quote,
      quoteId: randomUUID(),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.config.pricing.quoteTtlSeconds * 1000),
    };
    // Written behind the response, in batches (see QuoteStore); find() serves it meanwhile.
    this.store.save(toStored(issued, channelId));
    return issued;
  }

  find(quoteId: string): Promise<StoredQuote | null> {
    return this.store.find(quoteId);
  }
}

function toStored(quote: IssuedQuote, channelId: string | null): StoredQuote {
  return {
    quoteId: quote.quoteId,
    channelId,
    customerId: quote.customerId,
    shipToId: quote.shipToId,
    currency: quote.currency,
    pricingDate: quote.pricingDate,
    priceVersion: quote.priceVersion,
    lines: quote.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      uom: l.uom,
      status: l.status,
      unitPrice: l.unitPrice,
      extendedPrice: l.extendedPrice,
      priceUom: l.priceUom,
      source: l.source,
      sourceRef: l.sourceRef,
      promotions: l.promotions.map((p) => p.code),
      violations: l.violations.map((v) => v.code),
    })),
    promotionCodes: quote.promotionCodes,
    totals: quote.totals,
    createdAt: quote.createdAt,
    expiresAt: quote.expiresAt,
  };
}
