import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type OrderPolicy,
  type OrderPolicyFile,
  policyFor,
  readPolicyFile,
} from '../domain/order-policy.js';

export class OrderPolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid order policy file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OrderPolicyError';
  }
}

/** The order policies in effect (DI token): loaded once at start-up. */
export class OrderPolicies {
  constructor(
    readonly policies: OrderPolicyFile,
    readonly file: string,
  ) {}

  for(channel: { name: string; kind: string }): OrderPolicy {
    return policyFor(this.policies, channel);
  }
}

/** Reads and validates the policy file; throws OrderPolicyError naming every bad entry. */
export function loadOrderPolicies(file: string): OrderPolicies {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (error) {
    throw new OrderPolicyError(file, [
      `cannot be read as YAML/JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const result = readPolicyFile(document);
  if (!result.ok) throw new OrderPolicyError(file, result.problems);
  return new OrderPolicies(result.file, file);
}
