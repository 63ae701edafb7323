import { Decimal } from 'decimal.js';
import { BcDecimal } from './bc-json.js';
import { bcErrors } from './bc-error.js';

/** Edm types of the sandbox's entity properties. */
export type FieldType =
  'string' | 'guid' | 'decimal' | 'int' | 'boolean' | 'datetime' | 'date' | 'json';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; field: string; op: ComparisonOperator; literal: string; quoted: boolean }
  | { kind: 'call'; fn: 'startswith' | 'endswith' | 'contains'; field: string; literal: string };

const OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);

interface Token {
  text: string;
  quoted: boolean;
  at: number;
}

/**
 * Parses the `$filter` subset the sandbox supports: comparisons `field op literal` with
 * eq/ne/gt/ge/lt/le, `and`, `or`, `not`, parentheses, and startswith/endswith/contains.
 * Literals: 'strings' ('' escapes a quote), numbers, true/false, GUIDs and ISO dates/instants
 * unquoted, as OData v4 writes them (`lastModifiedDateTime gt 2019-08-18T20:05:51.603Z`).
 */
export function parseFilter(text: string): FilterExpression {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (what: string): Token => {
    const token = tokens[pos++];
    if (!token) throw syntax(`expected ${what} at the end of the filter`);
    return token;
  };
  const keyword = (token: Token | undefined, word: string): boolean =>
    token !== undefined && !token.quoted && token.text.toLowerCase() === word;

  const parseOr = (): FilterExpression => {
    let left = parseAnd();
    while (keyword(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterExpression => {
    let left = parseUnary();
    while (keyword(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterExpression => {
    if (keyword(peek(), 'not')) {
      pos++;
      return { kind: 'not', operand: parseUnary() };
    }
    const token = next('an expression');
    if (token.text === '(' && !token.quoted) {
      const inner = parseOr();
      const close = next("')'");
      if (close.text !== ')') throw syntax(`expected ')' at position ${close.at}`);
      return inner;
    }
    if (token.quoted) throw syntax(`a property name was expected at position ${token.at}`);
    const lower = token.text.toLowerCase();
    if (FUNCTIONS.has(lower) && peek()?.text === '(') {
      pos++;
      const field = next('a property name');
      if (next("','").text !== ',') throw syntax(`expected ',' in ${lower}()`);
      const literal = next('a string literal');
      if (!literal.quoted) throw syntax(`${lower}() needs a string literal`);
      if (next("')'").text !== ')') throw syntax(`expected ')' after ${lower}()`);
      return {
        kind: 'call',
        fn: lower as 'startswith' | 'endswith' | 'contains',
        field: field.text,
        literal: literal.text,
      };
    }
    const op = next('an operator');
    if (op.quoted || !OPERATORS.has(op.text.toLowerCase())) {
      throw syntax(`unknown operator '${op.text}' at position ${op.at}`);
    }
    const literal = next('a literal');
    if (!literal.quoted && (literal.text === '(' || literal.text === ')')) {
      throw syntax(`a literal was expected at position ${literal.at}`);
    }
    return {
      kind: 'compare',
      field: token.text,
      op: op.text.toLowerCase() as ComparisonOperator,
      literal: literal.text,
      quoted: literal.quoted,
    };
  };

  const expression = parseOr();
  if (pos < tokens.length)
    throw syntax(`unexpected '${tokens[pos].text}' at position ${tokens[pos].at}`);
  return expression;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ text: c, quoted: false, at: i });
      i++;
    } else if (c === "'") {
      const at = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw syntax(`unterminated string literal at position ${at}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ text: value, quoted: true, at });
    } else {
      const at = i;
      while (i < text.length && !/[\s(),']/.test(text[i])) i++;
      tokens.push({ text: text.slice(at, i), quoted: false, at });
    }
  }
  if (tokens.length === 0) throw syntax('the filter is empty');
  return tokens;
}

function syntax(detail: string) {
  return bcErrors.badRequest(`Syntax error in $filter: ${detail}.`);
}

/** A typed value of the left-hand side, for comparisons. */
type Comparable =
  | { kind: 'number'; value: Decimal }
  | { kind: 'ms'; value: number }
  | { kind: 'text'; value: string }
  | { kind: 'bool'; value: boolean };

/** Reads one property of the entity under test (BC JSON value; decimals as BcDecimal). */
export type FieldReader = (field: string) => unknown;

/**
 * Checks field names and literal types against the entity, once per request, and returns a
 * predicate that reads only the properties it needs.
 */
export function compileFilter(
  expression: FilterExpression,
  fields: Record<string, FieldType>,
  entityType: string,
): (read: FieldReader) => boolean {
  const typeOf = (field: string): FieldType => {
    const type = fields[field];
    if (!type || type === 'json') {
      throw bcErrors.badRequest(
        `Could not find a property named '${field}' on type 'Microsoft.NAV.${entityType}'.`,
      );
    }
    return type;
  };
  const compile = (e: FilterExpression): ((read: FieldReader) => boolean) => {
    switch (e.kind) {
      case 'and': {
        const l = compile(e.left);
        const r = compile(e.right);
        return (x) => l(x) && r(x);
      }
      case 'or': {
        const list = equalityList(e);
        if (list && (typeOf(list.field) === 'guid' || typeOf(list.field) === 'string')) {
          // `id eq A or id eq B or ...`: a key look-up, which BC answers from an index. One set
          // probe per row instead of one comparison per term keeps the sandbox as cheap.
          const type = typeOf(list.field);
          const wanted = new Set(
            list.literals.map(
              (l) => literalValue(type, l.literal, l.quoted, list.field).value as string,
            ),
          );
          return (x) => wanted.has(comparable(type, x(list.field)).value as string);
        }
        const l = compile(e.left);
        const r = compile(e.right);
        return (x) => l(x) || r(x);
      }
      case 'not': {
        const o = compile(e.operand);
        return (x) => !o(x);
      }
      case 'call': {
        const type = typeOf(e.field);
        if (type !== 'string')
          throw bcErrors.badRequest(`${e.fn}() needs a string property, not '${e.field}'.`);
        const needle = e.literal.toLowerCase();
        return (x) => {
          const value = String(x(e.field) ?? '').toLowerCase();
          return e.fn === 'startswith'
            ? value.startsWith(needle)
            : e.fn === 'endswith'
              ? value.endsWith(needle)
              : value.includes(needle);
        };
      }
      case 'compare': {
        const type = typeOf(e.field);
        const right = literalValue(type, e.literal, e.quoted, e.field);
        const op = e.op;
        return (x) => {
          const left = comparable(type, x(e.field));
          return test(op, compareValues(left, right));
        };
      }
    }
  };
  return compile(expression);
}

/** `f eq a or f eq b or ...` on one field: the field and its literals; else undefined. */
export function equalityList(
  e: FilterExpression,
): { field: string; literals: { literal: string; quoted: boolean }[] } | undefined {
  if (e.kind === 'compare') {
    return e.op === 'eq'
      ? { field: e.field, literals: [{ literal: e.literal, quoted: e.quoted }] }
      : undefined;
  }
  if (e.kind !== 'or') return undefined;
  const left = equalityList(e.left);
  const right = equalityList(e.right);
  if (!left || !right || left.field !== right.field) return undefined;
  return { field: left.field, literals: [...left.literals, ...right.literals] };
}

function literalValue(
  type: FieldType,
  literal: string,
  quoted: boolean,
  field: string,
): Comparable {
  const invalid = (): Error =>
    bcErrors.badRequest(
      `The value '${literal}' for '${field}' cannot be converted to Edm.${edmName(type)}.`,
    );
  switch (type) {
    case 'string':
      if (!quoted) throw invalid();
      return { kind: 'text', value: literal };
    case 'guid': {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(literal))
        throw invalid();
      return { kind: 'text', value: literal.toLowerCase() };
    }
    case 'decimal':
    case 'int':
      if (quoted || !/^-?\d+(\.\d+)?$/.test(literal)) throw invalid();
      return { kind: 'number', value: new Decimal(literal) };
    case 'boolean':
      if (quoted || !/^(true|false)$/i.test(literal)) throw invalid();
      return { kind: 'bool', value: literal.toLowerCase() === 'true' };
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(literal)) throw invalid();
      return { kind: 'text', value: literal };
    case 'datetime': {
      const ms = /^\d{4}-\d{2}-\d{2}T/.test(literal) ? Date.parse(literal) : NaN;
      if (Number.isNaN(ms)) throw invalid();
      return { kind: 'ms', value: ms };
    }
    default:
      throw invalid();
  }
}

function comparable(type: FieldType, value: unknown): Comparable {
  switch (type) {
    case 'decimal':
      return {
        kind: 'number',
        value: new Decimal(value instanceof BcDecimal ? value.text : String(value ?? 0)),
      };
    case 'int':
      return { kind: 'number', value: new Decimal(Number(value ?? 0)) };
    case 'datetime':
      return { kind: 'ms', value: Date.parse(String(value)) };
    case 'boolean':
      return { kind: 'bool', value: value === true };
    case 'guid':
      return { kind: 'text', value: String(value ?? '').toLowerCase() };
    default:
      return { kind: 'text', value: String(value ?? '') };
  }
}

function compareValues(a: Comparable, b: Comparable): number {
  if (a.kind === 'number' && b.kind === 'number') return a.value.comparedTo(b.value);
  if (a.kind === 'ms' && b.kind === 'ms') return a.value - b.value;
  if (a.kind === 'bool' && b.kind === 'bool') return Number(a.value) - Number(b.value);
  const x = String(a.value);
  const y = String(b.value);
  return x < y ? -1 : x > y ? 1 : 0;
}

function test(op: ComparisonOperator, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
  }
}

function edmName(type: FieldType): string {
  return {
    string: 'String',
    guid: 'Guid',
    decimal: 'Decimal',
    int: 'Int32',
    boolean: 'Boolean',
    datetime: 'DateTimeOffset',
    date: 'Date',
    json: 'ComplexType',
  }[type];
}

/**
 * The lower bound a filter puts on lastModifiedDateTime when it is a top-level conjunct
 * (`lastModifiedDateTime gt|ge T [and ...]`): lets delta reads start with a binary search.
 */
export function lastModifiedLowerBound(
  expression: FilterExpression,
): { ms: number; inclusive: boolean } | undefined {
  if (expression.kind === 'and') {
    const l = lastModifiedLowerBound(expression.left);
    const r = lastModifiedLowerBound(expression.right);
    if (!l) return r;
    if (!r) return l;
    return l.ms > r.ms || (l.ms === r.ms && !l.inclusive) ? l : r;
  }
  if (
    expression.kind === 'compare' &&
    expression.field === 'lastModifiedDateTime' &&
    (expression.op === 'gt' || expression.op === 'ge')
  ) {
    const ms = Date.parse(expression.literal);
    if (!Number.isNaN(ms)) return { ms, inclusive: expression.op === 'ge' };
  }
  return undefined;
}
