import type { RecordReader } from '../../../platform/kernel/index.js';

/** Where goods go. Country is ISO 3166-1 alpha-2; lines are street lines, blank ones dropped. */
export interface PostalAddress {
  addressLines: string[];
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
}

export const MAX_ADDRESS_LINES = 4;
/** ISO 3166-1 alpha-2, upper case. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/** Reads the address fields of a ship-to or warehouse; a shipment needs a street, city and country. */
export function readPostalAddress(fields: RecordReader): PostalAddress {
  const addressLines = readAddressLines(fields);
  if (addressLines.length === 0) {
    fields.problem('addressLines', 'REQUIRED', 'at least one address line is required');
  }
  const city = fields.text('city');
  const region = fields.optionalText('region');
  const postalCode = fields.optionalText('postalCode');
  const country = fields.text('country').toUpperCase();
  if (country !== '' && !COUNTRY_CODE.test(country)) {
    fields.problem('country', 'INVALID_COUNTRY', 'country must be an ISO 3166-1 alpha-2 code');
  }
  return { addressLines, city, region, postalCode, country };
}

/** The street lines of an address, trimmed, blank ones dropped; at most MAX_ADDRESS_LINES. */
export function readAddressLines(fields: RecordReader): string[] {
  const addressLines = fields
    .list('addressLines', (line, path) => {
      if (typeof line === 'string') return line.trim();
      fields.problems.push({ code: 'NOT_A_STRING', field: path, message: 'must be a string' });
      return '';
    })
    .filter((line) => line !== '');
  if (addressLines.length > MAX_ADDRESS_LINES) {
    fields.problem('addressLines', 'TOO_MANY', `at most ${MAX_ADDRESS_LINES} address lines`);
  }
  return addressLines;
}
