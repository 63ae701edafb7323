/**
 * Units counted in whole pieces: the ERP's codes for them and their UN/ECE Recommendation 20
 * codes (H87 piece, C62 one, PK pack, BX box, CS case, CT carton, PX pallet, BG bag, PA pail,
 * RO roll, SO spool, DR drum, PR pair, SET set, KT kit, DZN dozen). A quantity in one of them
 * must be whole:
 * no ERP ships 1.5 EA. Every other unit (kilogram, metre, litre, foot, gallon…) is a measure and
 * takes decimals. Neither ERP the hub integrates carries a rounding precision per unit in its
 * standard data (BC's v2.0 unitsOfMeasure has code and international standard code only), so the
 * hub decides from the unit code, which is ERP data.
 */
const COUNTED_UNITS = new Set([
  'EA',
  'EACH',
  'PC',
  'PCE',
  'PCS',
  'H87',
  'C62',
  'UN',
  'UNIT',
  'PK',
  'PACK',
  'BX',
  'BOX',
  'CS',
  'CASE',
  'CT',
  'CTN',
  'CARTON',
  'PL',
  'PX',
  'PAL',
  'PALLET',
  'BG',
  'BAG',
  'PA',
  'PAIL',
  'RO',
  'RL',
  'ROLL',
  'SO',
  'SP',
  'SPOOL',
  'DR',
  'DRUM',
  'PR',
  'PAIR',
  'SET',
  'KT',
  'KIT',
  'DZ',
  'DZN',
]);

/** True when a quantity in `uom` may have decimals (a measure), false for counted units. */
export function uomAllowsFractions(uom: string): boolean {
  return !COUNTED_UNITS.has(uom.trim().toUpperCase());
}

/** A quantity (decimal string) that a unit refuses: a fraction of a counted unit. */
export function isFractionOfCountedUnit(quantity: string, uom: string): boolean {
  if (uomAllowsFractions(uom)) return false;
  const [, decimals = ''] = quantity.split('.');
  return /[1-9]/.test(decimals);
}
