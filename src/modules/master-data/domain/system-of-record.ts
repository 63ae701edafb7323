/**
 * The system-of-record matrix: for every master-data entity and field, the system that owns it,
 * the other systems that may update it, and what happens when they do. Plain data, validated by
 * parseSystemOfRecord; the reviewed source is config/system-of-record.yaml.
 */

/** Every system that can write master data: the ERP, and every kind of channel. */
export const SOURCE_SYSTEMS = [
  'erp',
  'crm',
  'wms',
  'ecommerce',
  'marketplace',
  'edi',
  'supplier',
  'operations',
] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

/**
 * What a write from a system other than the owner does (the owner's writes always apply, except
 * that `accept-latest` also holds the owner to its source timestamps):
 * - `reject`: refused with FIELD_NOT_OWNED naming the owner;
 * - `steward`: a write from one of `updaters` is queued for a data steward's approval;
 * - `accept-latest`: a write from the owner or one of `updaters` applies when its source
 *   timestamp is later than the stored one, and is ignored otherwise.
 */
export const CONFLICT_RULES = ['reject', 'steward', 'accept-latest'] as const;
export type ConflictRule = (typeof CONFLICT_RULES)[number];

export const GOVERNED_ENTITIES = [
  'customer',
  'ship-to',
  'item',
  'warehouse',
  'price-data',
  'inventory',
] as const;
export type GovernedEntity = (typeof GOVERNED_ENTITIES)[number];

/**
 * The fields the hub itself stores, per entity: the matrix must declare each of them (and no
 * other), so that no write path meets a field nobody decided about. Price data and inventory are
 * kept by other modules; their fields are free-form names.
 */
export const HUB_FIELDS: Partial<Record<GovernedEntity, readonly string[]>> = {
  customer: [
    'name',
    'parentErpId',
    'status',
    'creditLimit',
    'balanceDue',
    'paymentTerms',
    'currency',
    'taxAreaCode',
    'taxExemptionNumber',
    'taxLiable',
    'email',
    'phone',
    'website',
    'address',
  ],
  'ship-to': [
    'name',
    'addressLines',
    'city',
    'region',
    'postalCode',
    'country',
    'defaultWarehouseCode',
    'taxAreaCode',
  ],
  item: [
    'description',
    'baseUom',
    'uomConversions',
    'itemGroup',
    'status',
    'fulfillmentType',
    'supplierId',
    'lotControlled',
    'substitutes',
    'gtin',
    'taxGroupCode',
  ],
  warehouse: ['name', 'address', 'active'],
};

export interface FieldOwnership {
  owner: SourceSystem;
  updaters: SourceSystem[];
  rule: ConflictRule;
  /** The ERP keeps this field too: an accepted change from elsewhere is written back to it. */
  erpWriteBack: boolean;
}

export interface SystemOfRecord {
  version: 1;
  entities: Record<GovernedEntity, Record<string, FieldOwnership>>;
}

export class SystemOfRecordError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid system-of-record matrix ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SystemOfRecordError';
  }
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const FIELD_KEYS = new Set(['owner', 'updaters', 'rule', 'erpWriteBack']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isSystem = (value: unknown): value is SourceSystem =>
  typeof value === 'string' && (SOURCE_SYSTEMS as readonly string[]).includes(value);

/**
 * Validates a parsed matrix document; throws SystemOfRecordError listing every bad entry by its
 * path (`entities.customer.email.rule: ...`), so a broken file stops start-up with a clear error.
 */
export function parseSystemOfRecord(document: unknown, source = '(inline)'): SystemOfRecord {
  const problems: string[] = [];
  if (!isRecord(document)) throw new SystemOfRecordError(source, ['the document must be a map']);
  if (document.version !== 1) problems.push(`version: must be 1 (got ${show(document.version)})`);
  for (const key of Object.keys(document)) {
    if (key !== 'version' && key !== 'entities') problems.push(`${key}: unknown key`);
  }
  const entities = document.entities;
  const result = {} as Record<GovernedEntity, Record<string, FieldOwnership>>;
  if (!isRecord(entities)) {
    problems.push('entities: must be a map of entity → fields');
    throw new SystemOfRecordError(source, problems);
  }
  for (const name of Object.keys(entities)) {
    if (!(GOVERNED_ENTITIES as readonly string[]).includes(name)) {
      problems.push(`entities.${name}: unknown entity (expected ${GOVERNED_ENTITIES.join(', ')})`);
    }
  }
  for (const entity of GOVERNED_ENTITIES) {
    const path = `entities.${entity}`;
    const fields = entities[entity];
    result[entity] = {};
    if (!isRecord(fields) || Object.keys(fields).length === 0) {
      problems.push(`${path}: missing, or not a map of field → ownership`);
      continue;
    }
    const known = HUB_FIELDS[entity];
    for (const [field, spec] of Object.entries(fields)) {
      const fieldPath = `${path}.${field}`;
      if (known ? !known.includes(field) : !FIELD_NAME.test(field)) {
        problems.push(`${fieldPath}: unknown field of ${entity}`);
        continue;
      }
      const ownership = parseField(spec, fieldPath, problems);
      if (ownership) result[entity][field] = ownership;
    }
    for (const field of known ?? []) {
      if (!(field in fields))
        problems.push(`${path}.${field}: not declared (every field needs an owner)`);
    }
  }
  if (problems.length > 0) throw new SystemOfRecordError(source, problems);
  return { version: 1, entities: result };
}

function parseField(spec: unknown, path: string, problems: string[]): FieldOwnership | null {
  if (!isRecord(spec)) {
    problems.push(`${path}: must be a map with owner, rule and optional updaters, erpWriteBack`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(spec)) {
    if (!FIELD_KEYS.has(key)) problems.push(`${path}.${key}: unknown key`);
  }
  const { owner, rule } = spec;
  if (!isSystem(owner)) {
    problems.push(
      `${path}.owner: must be one of ${SOURCE_SYSTEMS.join(', ')} (got ${show(owner)})`,
    );
  }
  if (!(CONFLICT_RULES as readonly unknown[]).includes(rule)) {
    problems.push(`${path}.rule: must be one of ${CONFLICT_RULES.join(', ')} (got ${show(rule)})`);
  }
  const updatersRaw = spec.updaters ?? [];
  const updaters: SourceSystem[] = [];
  if (!Array.isArray(updatersRaw)) {
    problems.push(`${path}.updaters: must be a list of systems`);
  } else {
    updatersRaw.forEach((u: unknown, i) => {
      if (!isSystem(u)) problems.push(`${path}.updaters[${i}]: unknown system ${show(u)}`);
      else if (u === owner) problems.push(`${path}.updaters[${i}]: ${u} is already the owner`);
      else if (updaters.includes(u)) problems.push(`${path}.updaters[${i}]: ${u} listed twice`);
      else updaters.push(u);
    });
  }
  if (rule === 'reject' && updaters.length > 0) {
    problems.push(`${path}.updaters: rule reject refuses every other system; list no updaters`);
  }
  if (rule === 'steward' && updaters.length === 0) {
    problems.push(`${path}.updaters: rule steward needs the systems whose changes are queued`);
  }
  const erpWriteBack = spec.erpWriteBack ?? false;
  if (typeof erpWriteBack !== 'boolean')
    problems.push(`${path}.erpWriteBack: must be true or false`);
  if (problems.length > before) return null;
  return {
    owner: owner as SourceSystem,
    updaters,
    rule: rule as ConflictRule,
    erpWriteBack: erpWriteBack === true,
  };
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** What the matrix makes of one field of one write. */
export type FieldDecision =
  | { kind: 'apply' }
  | { kind: 'reject'; owner: SourceSystem }
  | { kind: 'queue' }
  | { kind: 'stale'; storedAt: Date };

/**
 * Decides one field of one write. `sourceAt` is when the source changed the value; `storedAt`
 * when the source of the stored value did (null: never recorded). Equal times count as stale, so
 * a replayed write changes nothing.
 */
export function decideField(
  ownership: FieldOwnership,
  source: SourceSystem,
  sourceAt: Date,
  storedAt: Date | null,
): FieldDecision {
  const isOwner = source === ownership.owner;
  const isUpdater = ownership.updaters.includes(source);
  if (!isOwner && !isUpdater) return { kind: 'reject', owner: ownership.owner };
  if (ownership.rule === 'accept-latest') {
    if (storedAt !== null && sourceAt.getTime() <= storedAt.getTime()) {
      return { kind: 'stale', storedAt };
    }
    return { kind: 'apply' };
  }
  if (isOwner) return { kind: 'apply' };
  if (ownership.rule === 'steward') return { kind: 'queue' };
  return { kind: 'reject', owner: ownership.owner };
}
