import { ISO_4217_CODES } from './currency-codes.js';
import { isNegativeDecimal, readMoney, readOptionalMoney } from './decimal-string.js';
import {
  RecordReader,
  type RecordCheck,
  type RecordProblem,
} from '../../../platform/kernel/index.js';
import {
  COUNTRY_CODE,
  readAddressLines,
  readPostalAddress,
  type PostalAddress,
} from './postal-address.js';

export const CUSTOMER_STATUSES = ['ACTIVE', 'INACTIVE', 'BLOCKED'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** A delivery address of a customer, known to the ERP by its code. */
export interface ShipTo extends PostalAddress {
  code: string;
  name: string;
  /** Warehouse that normally serves this address; not required to be known to the hub. */
  defaultWarehouseCode: string | null;
  /** Overrides the customer's tax area for deliveries here (sales tax follows the destination). */
  taxAreaCode: string | null;
}

/**
 * The customer's own address (BC: the customer card's address, the sell-to / bill-to address of
 * its documents). Unlike a ship-to it is not where goods go, so the ERP may keep it incomplete:
 * every part is optional, and a customer without any part has no address (`null`).
 */
export interface CustomerAddress {
  /** Street lines, blank ones dropped (may be empty when the ERP keeps only a city, say). */
  addressLines: string[];
  city: string | null;
  /** State / province / region code. */
  region: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
}

/**
 * A customer as the hub knows it: the ERP is the system of record, so this is a copy that only the
 * sync writes. Money is a decimal string with 4 places.
 */
export interface Customer {
  /** The ERP customer number: the id channels use. */
  erpId: string;
  name: string;
  /** The parent account (bill-to / corporate hierarchy); it may not be in the hub (yet). */
  parentErpId: string | null;
  status: CustomerStatus;
  /** `null` means the ERP sets no credit limit. */
  creditLimit: string | null;
  /** Open balance; negative when the customer is in credit. */
  balanceDue: string;
  paymentTerms: string | null;
  /** ISO 4217 code of the currency the customer is invoiced in. */
  currency: string;
  taxAreaCode: string | null;
  taxExemptionNumber: string | null;
  /**
   * Whether sales tax / VAT applies to the customer's sales (BC `taxLiable`). A customer who is
   * not liable needs no tax area for an order to be taxed.
   */
  taxLiable: boolean;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: CustomerAddress | null;
  shipTos: ShipTo[];
}

/**
 * Checks and normalises a customer as an ERP adapter delivered it. Every problem is returned;
 * a parent that the hub does not know is not a problem (it may arrive later in the same sync).
 */
export function checkCustomer(input: unknown): RecordCheck<Customer> {
  const problems: RecordProblem[] = [];
  const fields = RecordReader.of(input, problems);
  const erpId = fields.key('erpId');
  const name = fields.text('name');
  const parentErpId = fields.optionalKey('parentErpId');
  if (parentErpId !== null && parentErpId === erpId) {
    fields.problem('parentErpId', 'PARENT_IS_SELF', 'a customer cannot be its own parent');
  }
  const status = fields.oneOf('status', CUSTOMER_STATUSES);
  const creditLimit = readOptionalMoney(fields, 'creditLimit');
  if (creditLimit !== null && isNegativeDecimal(creditLimit)) {
    fields.problem('creditLimit', 'NEGATIVE', 'creditLimit must not be negative');
  }
  const balanceDue = readMoney(fields, 'balanceDue');
  const paymentTerms = fields.optionalText('paymentTerms');
  const currency = fields.text('currency').toUpperCase();
  if (currency !== '' && !ISO_4217_CODES.has(currency)) {
    fields.problem('currency', 'UNKNOWN_CURRENCY', 'currency must be an active ISO 4217 code');
  }
  const taxAreaCode = fields.optionalText('taxAreaCode');
  const taxExemptionNumber = fields.optionalText('taxExemptionNumber');
  const taxLiable = fields.boolean('taxLiable');
  const email = fields.optionalText('email');
  const phone = fields.optionalText('phone');
  const website = fields.optionalText('website');
  const rawAddress = fields.raw('address');
  const address =
    rawAddress === null || rawAddress === undefined
      ? null
      : readCustomerAddress(RecordReader.of(rawAddress, problems, 'address'));
  const shipTos = fields.list('shipTos', (element, path) => readShipTo(element, path, problems));
  const seen = new Set<string>();
  shipTos.forEach((shipTo, index) => {
    const key = shipTo.code.toUpperCase();
    if (key !== '' && seen.has(key)) {
      problems.push({
        code: 'DUPLICATE_SHIP_TO',
        field: `shipTos[${index}].code`,
        message: `ship-to code ${shipTo.code} appears more than once`,
      });
    }
    seen.add(key);
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      erpId,
      name,
      parentErpId,
      status,
      creditLimit,
      balanceDue,
      paymentTerms,
      currency,
      taxAreaCode,
      taxExemptionNumber,
      taxLiable,
      email,
      phone,
      website,
      address,
      shipTos,
    },
  };
}

function readShipTo(input: unknown, path: string, problems: RecordProblem[]): ShipTo {
  const fields = RecordReader.of(input, problems, path);
  const code = fields.key('code');
  const name = fields.text('name');
  const address = readPostalAddress(fields);
  return {
    code,
    name,
    ...address,
    defaultWarehouseCode: fields.optionalKey('defaultWarehouseCode'),
    taxAreaCode: fields.optionalText('taxAreaCode'),
  };
}

/** Reads a customer's own address: every part optional; no part at all is no address. */
function readCustomerAddress(fields: RecordReader): CustomerAddress | null {
  const addressLines = readAddressLines(fields);
  const city = fields.optionalText('city');
  const region = fields.optionalText('region');
  const postalCode = fields.optionalText('postalCode');
  const country = fields.optionalText('country')?.toUpperCase() ?? null;
  if (country !== null && !COUNTRY_CODE.test(country)) {
    fields.problem('country', 'INVALID_COUNTRY', 'country must be an ISO 3166-1 alpha-2 code');
  }
  const empty =
    addressLines.length === 0 &&
    city === null &&
    region === null &&
    postalCode === null &&
    country === null;
  return empty ? null : { addressLines, city, region, postalCode, country };
}
