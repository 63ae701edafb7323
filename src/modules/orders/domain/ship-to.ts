import type { CustomerFacts } from './rules/order-rule.js';

/*
 * Where an order ships: ONE address type and ONE ship-to type, from the request DTO through the
 * stored order and the API answer to the ERP document.
 */

/** A postal address given with the order (a one-time ship-to). */
export interface ShipToAddress {
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}

/**
 * Where the order ships: one of the customer's ship-to codes, a one-time address, or (`isDefault`)
 * the customer's default ship-to, resolved for the answer when the order named none (the ERP
 * applies that same default itself); null when the customer has no ship-to in the hub (the ERP
 * ships to the customer's own address).
 */
export type OrderShipTo = { code: string; isDefault?: boolean } | { address: ShipToAddress } | null;

/** The ship-to as an ERP sales order carries it (the SalesOrderGateway contract). */
export type ErpShipTo = { kind: 'code'; code: string } | ({ kind: 'address' } & ShipToAddress);

/** A request's ship-to, resolved against the customer's ship-tos. */
export interface ShipToChoice {
  shipTo: OrderShipTo;
  /** The named ship-to's tax area (it overrides the customer's); null otherwise. */
  taxAreaCode: string | null;
  /** The warehouse that normally serves the named ship-to. */
  preferredWarehouse: string | null;
  /** The code the channel named that the customer does not have; null when none. */
  unknownCode: string | null;
  /** The code the pricing engine should price for: a named code, not the default. */
  pricingCode: string | null;
}

/** One of the customer's codes (case-insensitive), or a one-time address, or the default. */
export function resolveShipTo(
  request: { shipToId?: string | null; shipToAddress?: ShipToAddress | null },
  customer: CustomerFacts | null,
): ShipToChoice {
  const none: ShipToChoice = {
    shipTo: null,
    taxAreaCode: null,
    preferredWarehouse: null,
    unknownCode: null,
    pricingCode: null,
  };
  if (request.shipToId) {
    const wanted = request.shipToId.toUpperCase();
    const known = customer?.shipTos.find((s) => s.code.toUpperCase() === wanted);
    if (!known) return { ...none, unknownCode: request.shipToId };
    return {
      shipTo: { code: known.code },
      taxAreaCode: known.taxAreaCode,
      preferredWarehouse: known.defaultWarehouseCode,
      unknownCode: null,
      pricingCode: known.code,
    };
  }
  if (request.shipToAddress) return { ...none, shipTo: { address: request.shipToAddress } };
  if (customer && customer.shipTos.length > 0) {
    // No ship-to named: the customer's default, which both ERP adapters deliver first. Shown in
    // the answer; the ERP document still names none, so the ERP applies its own default.
    return { ...none, shipTo: { code: customer.shipTos[0].code, isDefault: true } };
  }
  return none;
}

/** The ERP document's ship-to: none for the customer's default (the ERP picks it itself). */
export function erpShipToOf(shipTo: OrderShipTo): ErpShipTo | null {
  if (shipTo === null) return null;
  if ('code' in shipTo) return shipTo.isDefault ? null : { kind: 'code', code: shipTo.code };
  return { kind: 'address', ...shipTo.address };
}
