import { Decimal } from 'decimal.js';
import { formatQuantity, maxZero, parseQuantity, ZERO } from './quantity.js';

export const BUFFER_TYPES = ['NONE', 'UNITS', 'PERCENT'] as const;
export type BufferType = (typeof BUFFER_TYPES)[number];

/** Stock held back from a channel, per warehouse: a number of base units or a share of ATP. */
export interface ChannelBuffer {
  type: BufferType;
  /** Units (base UoM) for UNITS, 0-100 for PERCENT, "0" for NONE. */
  value: string;
}

/** What a channel may promise: from which warehouses, less which buffer. */
export interface ChannelAvailabilityRule {
  /** Warehouse codes the channel may sell from; null = every warehouse. */
  warehouses: string[] | null;
  buffer: ChannelBuffer;
}

export const NO_BUFFER: ChannelBuffer = { type: 'NONE', value: '0' };

/**
 * Rules for channels that have none of their own, by channel kind. Marketplaces sync stock
 * slowly and oversell when it runs low, so they are shown 10 % less; other channels see ATP.
 */
export const DEFAULT_RULES_BY_KIND: Readonly<Record<string, ChannelAvailabilityRule>> = {
  marketplace: { warehouses: null, buffer: { type: 'PERCENT', value: '10' } },
};

export function defaultRuleFor(channelKind: string): ChannelAvailabilityRule {
  return DEFAULT_RULES_BY_KIND[channelKind] ?? { warehouses: null, buffer: NO_BUFFER };
}

export function allowsWarehouse(rule: ChannelAvailabilityRule, warehouse: string): boolean {
  return rule.warehouses === null || rule.warehouses.includes(warehouse);
}

/**
 * Units held back from `atp` by the buffer. A percentage is rounded UP to a whole unit: a
 * buffer exists to avoid overselling, so it never rounds in the channel's favour.
 */
export function heldBack(buffer: ChannelBuffer, atp: Decimal): Decimal {
  switch (buffer.type) {
    case 'NONE':
      return ZERO;
    case 'UNITS':
      return new Decimal(buffer.value);
    case 'PERCENT':
      return atp.times(buffer.value).dividedBy(100).ceil();
  }
}

/** What the channel may promise from one warehouse, given the ATP there. */
export function channelAvailable(
  rule: ChannelAvailabilityRule,
  warehouse: string,
  atp: Decimal,
): Decimal {
  if (!allowsWarehouse(rule, warehouse)) return ZERO;
  const available = maxZero(atp);
  return maxZero(available.minus(heldBack(rule.buffer, available)));
}

export interface RuleProblem {
  code: string;
  field: string;
  message: string;
}

export type RuleCheck =
  { ok: true; value: ChannelAvailabilityRule } | { ok: false; problems: RuleProblem[] };

/** Checks a rule as an operator sent it: warehouses unique and non-empty, buffer within bounds. */
export function checkChannelRule(input: {
  warehouses: unknown;
  buffer: { type: unknown; value: unknown };
}): RuleCheck {
  const problems: RuleProblem[] = [];
  let warehouses: string[] | null = null;
  if (input.warehouses !== null && input.warehouses !== undefined) {
    if (!Array.isArray(input.warehouses)) {
      problems.push({
        code: 'INVALID_WAREHOUSES',
        field: 'warehouses',
        message: 'warehouses must be a list of warehouse codes, or null for every warehouse',
      });
    } else {
      warehouses = [];
      input.warehouses.forEach((w: unknown, i) => {
        if (typeof w !== 'string' || !w.trim()) {
          problems.push({
            code: 'INVALID_CODE',
            field: `warehouses[${i}]`,
            message: 'must be a warehouse code',
          });
        } else if (!warehouses!.includes(w.trim())) {
          warehouses!.push(w.trim());
        }
      });
    }
  }
  const type = input.buffer.type;
  let value = '0';
  if (!(BUFFER_TYPES as readonly unknown[]).includes(type)) {
    problems.push({
      code: 'INVALID_BUFFER_TYPE',
      field: 'buffer.type',
      message: 'buffer.type must be NONE, UNITS or PERCENT',
    });
  } else if (type !== 'NONE') {
    const parsed = parseQuantity(input.buffer.value);
    if (!parsed || parsed.isNegative()) {
      problems.push({
        code: 'INVALID_BUFFER_VALUE',
        field: 'buffer.value',
        message: 'buffer.value must be a non-negative decimal string',
      });
    } else if (type === 'PERCENT' && parsed.greaterThan(100)) {
      problems.push({
        code: 'INVALID_BUFFER_VALUE',
        field: 'buffer.value',
        message: 'a PERCENT buffer is at most 100',
      });
    } else {
      value = formatQuantity(parsed);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { warehouses, buffer: { type: type as BufferType, value } } };
}
