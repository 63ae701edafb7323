import type {
  Customer,
  CustomerStatus,
  FulfillmentType,
  Item,
  ItemStatus,
  ShipTo,
  Warehouse,
} from '../../../../modules/master-data/index.js';
import {
  addressLines,
  customerAddress,
  mapEnum,
  textOrNull,
  UnmappableRecordError,
} from '../../shared/canonical-fields.js';

/** ar_customer columns the adapter reads (numerics arrive as exact strings from pg). */
export interface ArCustomerRow {
  customer_no: string;
  name: string;
  parent_customer_no: string | null;
  status: string;
  credit_limit: string;
  balance_due: string;
  terms_code: string;
  currency_code: string;
  tax_area_code: string | null;
  tax_exempt_no: string | null;
  tax_liable: boolean;
  email: string | null;
  phone: string | null;
  website: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country_code: string | null;
}

export interface ArShipToRow {
  customer_no: string;
  ship_to_code: string;
  name: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country_code: string | null;
  warehouse_code: string | null;
  tax_area_code: string | null;
  is_default: boolean;
  status: string;
}

export interface InItemRow {
  item_no: string;
  description: string;
  item_group_code: string | null;
  base_uom_code: string;
  status: string;
  fulfillment_type: string;
  supplier_no: string | null;
  lot_controlled: boolean;
  gtin: string | null;
  tax_group_code: string | null;
}

export interface InItemUomRow {
  item_no: string;
  uom_code: string;
  conversion_factor: string;
  is_base: boolean;
}

export interface InItemSubstituteRow {
  item_no: string;
  substitute_item_no: string;
  priority: number;
}

export interface InWarehouseRow {
  warehouse_code: string;
  name: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country_code: string | null;
  status: string;
}

const CUSTOMER_STATUS: Record<string, CustomerStatus> = {
  ACTIVE: 'ACTIVE',
  INACTIVE: 'INACTIVE',
  BLOCKED: 'BLOCKED',
};
const ITEM_STATUS: Record<string, ItemStatus> = {
  ACTIVE: 'ACTIVE',
  DISCONTINUED: 'DISCONTINUED',
  BLOCKED: 'BLOCKED',
};
const FULFILLMENT: Record<string, FulfillmentType> = { STOCK: 'STOCK', DROP_SHIP: 'DROP_SHIP' };
const WAREHOUSE_ACTIVE: Record<string, boolean> = { ACTIVE: true, INACTIVE: false };

/**
 * Maps the reference on-prem ERP schema (src/erp-simulators/onprem/README.md) to the
 * canonical master data. Values the canonical model has no word for are unmappable
 * (UnmappableRecordError); everything else passes through for the hub to validate.
 */
export const OnPremMasterDataMapper = {
  customer(row: ArCustomerRow, shipTos: ArShipToRow[]): Customer {
    const status = mapEnum(row.status, CUSTOMER_STATUS);
    if (!status) throw new UnmappableRecordError(`Unknown customer status "${row.status}".`);
    return {
      erpId: row.customer_no,
      name: row.name,
      parentErpId: textOrNull(row.parent_customer_no),
      status,
      // This ERP keeps a limit on every customer; 0 on cash (COD/prepaid) accounts means "no
      // credit", which is the canonical "0" (schema README), not "no limit".
      creditLimit: row.credit_limit,
      balanceDue: row.balance_due,
      paymentTerms: textOrNull(row.terms_code),
      currency: row.currency_code,
      taxAreaCode: textOrNull(row.tax_area_code),
      taxExemptionNumber: textOrNull(row.tax_exempt_no),
      taxLiable: row.tax_liable,
      email: textOrNull(row.email),
      phone: textOrNull(row.phone),
      website: textOrNull(row.website),
      address: customerAddress({
        line1: row.address_line1,
        line2: row.address_line2,
        city: row.city,
        state: row.state,
        postalCode: row.postal_code,
        country: row.country_code,
      }),
      // An inactive delivery address is one channels must no longer ship to.
      shipTos: shipTos.filter((s) => s.status !== 'INACTIVE').map(shipTo),
    };
  },

  item(row: InItemRow, uoms: InItemUomRow[], substitutes: InItemSubstituteRow[]): Item {
    const status = mapEnum(row.status, ITEM_STATUS);
    if (!status) throw new UnmappableRecordError(`Unknown item status "${row.status}".`);
    const fulfillmentType = mapEnum(row.fulfillment_type, FULFILLMENT);
    if (!fulfillmentType) {
      throw new UnmappableRecordError(`Unknown fulfillment type "${row.fulfillment_type}".`);
    }
    return {
      sku: row.item_no,
      description: row.description,
      baseUom: row.base_uom_code,
      uomConversions: uoms.map((u) => ({ uom: u.uom_code, factor: u.conversion_factor })),
      itemGroup: textOrNull(row.item_group_code),
      status,
      fulfillmentType,
      // Stock items name their primary vendor here; only a drop-ship supplier is canonical.
      supplierId: fulfillmentType === 'DROP_SHIP' ? textOrNull(row.supplier_no) : null,
      lotControlled: row.lot_controlled,
      substitutes: substitutes.map((s) => s.substitute_item_no),
      gtin: textOrNull(row.gtin),
      // tax_class (TAXABLE/EXEMPT) is the coarse flag; the group is what decides the rate.
      taxGroupCode: textOrNull(row.tax_group_code),
    };
  },

  warehouse(row: InWarehouseRow): Warehouse {
    const active = mapEnum(row.status, WAREHOUSE_ACTIVE);
    if (active === undefined) {
      throw new UnmappableRecordError(`Unknown warehouse status "${row.status}".`);
    }
    const lines = addressLines(row.address_line1, row.address_line2);
    const hasAddress = lines.length > 0 || textOrNull(row.city) !== null;
    return {
      code: row.warehouse_code,
      name: row.name,
      address: hasAddress
        ? {
            addressLines: lines,
            city: row.city ?? '',
            region: textOrNull(row.state),
            postalCode: textOrNull(row.postal_code),
            country: row.country_code ?? '',
          }
        : null,
      active,
    };
  },
};

function shipTo(row: ArShipToRow): ShipTo {
  return {
    code: row.ship_to_code,
    name: row.name,
    addressLines: addressLines(row.address_line1, row.address_line2),
    city: row.city ?? '',
    region: textOrNull(row.state),
    postalCode: textOrNull(row.postal_code),
    country: row.country_code ?? '',
    defaultWarehouseCode: textOrNull(row.warehouse_code),
    taxAreaCode: textOrNull(row.tax_area_code),
  };
}
