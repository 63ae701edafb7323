import { Decimal } from 'decimal.js';
import {
  ORDER_VIOLATION_CODES,
  isOrderViolationCode,
  type OrderViolation,
  type OrderViolationCode,
} from './order-violation.js';

/*
 * Order policy: what each violation code does to an order, per channel.
 *   reject  the order is refused (422 with every violation), nothing is stored
 *   hold    the order is stored ON_HOLD with the reasons, for operations to release
 *   adjust  the hub fixes the order and says so: PRICE_MISMATCH reprices to the ERP's price,
 *           INSUFFICIENT_AVAILABILITY backorders the short quantity
 * Codes about lines the hub cannot price or place (unknown or unsellable item, unknown unit, no
 * price) and an unknown customer or ship-to can only reject: there is no order to hold.
 */

export const POLICY_ACTIONS = ['reject', 'hold', 'adjust'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Which actions each code allows; the first is the safest. */
export const ALLOWED_ACTIONS: Record<OrderViolationCode, readonly PolicyAction[]> = {
  CUSTOMER_NOT_FOUND: ['reject'],
  CUSTOMER_INACTIVE: ['reject', 'hold'],
  CUSTOMER_BLOCKED: ['reject', 'hold'],
  SHIP_TO_INVALID: ['reject'],
  TAX_ATTRIBUTES_MISSING: ['reject', 'hold'],
  CURRENCY_NOT_ACCEPTED: ['reject'],
  ITEM_NOT_FOUND: ['reject'],
  ITEM_NOT_SELLABLE: ['reject'],
  UOM_NOT_CONVERTIBLE: ['reject'],
  QUANTITY_NOT_DIVISIBLE: ['reject'],
  REQUESTED_DATE_IN_PAST: ['reject'],
  NO_PRICE: ['reject'],
  PRICE_MISMATCH: ['reject', 'hold', 'adjust'],
  INSUFFICIENT_AVAILABILITY: ['reject', 'hold', 'adjust'],
  CREDIT_LIMIT_EXCEEDED: ['reject', 'hold'],
};

export const CREDIT_ACCOUNTS = ['customer', 'parent-account'] as const;
export type CreditAccount = (typeof CREDIT_ACCOUNTS)[number];

export interface OrderPolicy {
  actions: Record<OrderViolationCode, PolicyAction>;
  /** An expected unit price this close to the ERP's price is not a mismatch. */
  priceTolerance: { percent: string; amount: string };
  /** May the lines of one order ship from several warehouses (one ERP order each)? */
  allowSplitAcrossWarehouses: boolean;
  /** Whose credit limit applies: the customer's, or its parent account's when it has one. */
  creditAccount: CreditAccount;
}

/** The policy file: defaults, then overrides by channel kind, then by channel name. */
export interface OrderPolicyFile {
  defaults: OrderPolicy;
  byKind: Record<string, OrderPolicy>;
  byChannel: Record<string, OrderPolicy>;
}

export const BUILT_IN_POLICY: OrderPolicy = {
  actions: {
    CUSTOMER_NOT_FOUND: 'reject',
    CUSTOMER_INACTIVE: 'hold',
    CUSTOMER_BLOCKED: 'hold',
    SHIP_TO_INVALID: 'reject',
    TAX_ATTRIBUTES_MISSING: 'hold',
    CURRENCY_NOT_ACCEPTED: 'reject',
    ITEM_NOT_FOUND: 'reject',
    ITEM_NOT_SELLABLE: 'reject',
    UOM_NOT_CONVERTIBLE: 'reject',
    QUANTITY_NOT_DIVISIBLE: 'reject',
    REQUESTED_DATE_IN_PAST: 'reject',
    NO_PRICE: 'reject',
    PRICE_MISMATCH: 'hold',
    INSUFFICIENT_AVAILABILITY: 'adjust',
    CREDIT_LIMIT_EXCEEDED: 'hold',
  },
  priceTolerance: { percent: '0', amount: '0' },
  allowSplitAcrossWarehouses: true,
  creditAccount: 'parent-account',
};

/** The policy for one channel: its own entry, else its kind's, else the defaults. */
export function policyFor(
  file: OrderPolicyFile,
  channel: { name: string; kind: string },
): OrderPolicy {
  return file.byChannel[channel.name] ?? file.byKind[channel.kind] ?? file.defaults;
}

export interface PolicyDecision {
  outcome: 'accept' | 'hold' | 'reject';
  rejections: OrderViolation[];
  holds: OrderViolation[];
  adjustments: OrderViolation[];
}

/** Sorts violations by what the policy does with them; any rejection rejects the order. */
export function decide(policy: OrderPolicy, violations: readonly OrderViolation[]): PolicyDecision {
  const rejections: OrderViolation[] = [];
  const holds: OrderViolation[] = [];
  const adjustments: OrderViolation[] = [];
  for (const v of violations) {
    const action = policy.actions[v.code];
    if (action === 'reject') rejections.push(v);
    else if (action === 'hold') holds.push(v);
    else adjustments.push(v);
  }
  const outcome = rejections.length > 0 ? 'reject' : holds.length > 0 ? 'hold' : 'accept';
  return { outcome, rejections, holds, adjustments };
}

/** Is `expected` within the policy's tolerance of `actual` (either the percent or the amount)? */
export function withinTolerance(policy: OrderPolicy, expected: string, actual: string): boolean {
  const diff = new Decimal(expected).minus(actual).abs();
  if (diff.isZero()) return true;
  if (diff.lessThanOrEqualTo(policy.priceTolerance.amount)) return true;
  const allowed = new Decimal(actual).abs().times(policy.priceTolerance.percent).dividedBy(100);
  return diff.lessThanOrEqualTo(allowed);
}

// ---- reading the policy file ------------------------------------------------------------------

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Validates a parsed policy document and returns it resolved (each level filled from the one
 * above it), or every problem found, each naming where it is.
 */
export function readPolicyFile(
  doc: unknown,
): { ok: true; file: OrderPolicyFile } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(doc)) return { ok: false, problems: ['the file must hold a mapping'] };
  if (doc.version !== 1) problems.push('version: must be 1');
  for (const key of Object.keys(doc)) {
    if (!['version', 'defaults', 'byKind', 'byChannel'].includes(key))
      problems.push(`${key}: unknown key`);
  }
  const defaults = readPolicy(doc.defaults ?? {}, BUILT_IN_POLICY, 'defaults', problems);
  const readLevel = (key: 'byKind' | 'byChannel', base: (name: string) => OrderPolicy) => {
    const level = doc[key] ?? {};
    const result: Record<string, OrderPolicy> = {};
    if (!isObject(level)) {
      problems.push(`${key}: must be a mapping of name to policy`);
      return result;
    }
    for (const [name, value] of Object.entries(level)) {
      result[name] = readPolicy(value, base(name), `${key}.${name}`, problems);
    }
    return result;
  };
  const byKind = readLevel('byKind', () => defaults);
  // A channel entry builds on its own settings only: name a kind with `kind:` to inherit it.
  const byChannel: Record<string, OrderPolicy> = {};
  const channels = doc.byChannel ?? {};
  if (!isObject(channels)) problems.push('byChannel: must be a mapping of name to policy');
  else {
    for (const [name, value] of Object.entries(channels)) {
      const kind = isObject(value) && typeof value.kind === 'string' ? value.kind : null;
      const base = kind !== null ? (byKind[kind] ?? defaults) : defaults;
      byChannel[name] = readPolicy(value, base, `byChannel.${name}`, problems, ['kind']);
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, file: { defaults, byKind, byChannel } };
}

function readPolicy(
  value: unknown,
  base: OrderPolicy,
  at: string,
  problems: string[],
  extraKeys: string[] = [],
): OrderPolicy {
  if (!isObject(value)) {
    problems.push(`${at}: must be a mapping`);
    return base;
  }
  const known = ['actions', 'priceTolerance', 'allowSplitAcrossWarehouses', 'creditAccount'];
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !extraKeys.includes(key))
      problems.push(`${at}.${key}: unknown key`);
  }
  const actions = { ...base.actions };
  if (value.actions !== undefined) {
    if (!isObject(value.actions))
      problems.push(`${at}.actions: must be a mapping of code to action`);
    else {
      for (const [code, action] of Object.entries(value.actions)) {
        if (!isOrderViolationCode(code)) {
          problems.push(
            `${at}.actions.${code}: unknown code (one of ${ORDER_VIOLATION_CODES.join(', ')})`,
          );
          continue;
        }
        const allowed = ALLOWED_ACTIONS[code];
        if (typeof action !== 'string' || !(allowed as readonly string[]).includes(action)) {
          problems.push(`${at}.actions.${code}: must be one of ${allowed.join(', ')}`);
          continue;
        }
        actions[code] = action as PolicyAction;
      }
    }
  }
  const tolerance = { ...base.priceTolerance };
  if (value.priceTolerance !== undefined) {
    if (!isObject(value.priceTolerance)) problems.push(`${at}.priceTolerance: must be a mapping`);
    else {
      for (const [key, amount] of Object.entries(value.priceTolerance)) {
        if (key !== 'percent' && key !== 'amount') {
          problems.push(`${at}.priceTolerance.${key}: unknown key (percent, amount)`);
        } else if (typeof amount !== 'string' || !DECIMAL.test(amount)) {
          problems.push(`${at}.priceTolerance.${key}: must be a non-negative decimal string`);
        } else tolerance[key] = amount;
      }
    }
  }
  let split = base.allowSplitAcrossWarehouses;
  if (value.allowSplitAcrossWarehouses !== undefined) {
    if (typeof value.allowSplitAcrossWarehouses !== 'boolean')
      problems.push(`${at}.allowSplitAcrossWarehouses: must be true or false`);
    else split = value.allowSplitAcrossWarehouses;
  }
  let creditAccount = base.creditAccount;
  if (value.creditAccount !== undefined) {
    if (!(CREDIT_ACCOUNTS as readonly unknown[]).includes(value.creditAccount))
      problems.push(`${at}.creditAccount: must be one of ${CREDIT_ACCOUNTS.join(', ')}`);
    else creditAccount = value.creditAccount as CreditAccount;
  }
  return {
    actions,
    priceTolerance: tolerance,
    allowSplitAcrossWarehouses: split,
    creditAccount,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
