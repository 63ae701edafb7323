import type { Customer, CustomerStatus } from '../domain/customer.js';
import type { Synced } from '../domain/synced.js';
import type { CustomerOrmEntity, ShipToOrmEntity } from './customer.orm-entity.js';
import type { RecordToWrite } from './record-to-write.js';

export const CustomerMapper = {
  toDomain(row: CustomerOrmEntity, shipTos: ShipToOrmEntity[]): Synced<Customer> {
    return {
      value: {
        erpId: row.erpId,
        name: row.name,
        parentErpId: row.parentErpId,
        status: row.status as CustomerStatus,
        creditLimit: row.creditLimit,
        balanceDue: row.balanceDue,
        paymentTerms: row.paymentTerms,
        currency: row.currency,
        taxAreaCode: row.taxAreaCode,
        taxExemptionNumber: row.taxExemptionNumber,
        taxLiable: row.taxLiable,
        email: row.email,
        phone: row.phone,
        website: row.website,
        address:
          row.addressLines === null
            ? null
            : {
                addressLines: row.addressLines,
                city: row.city,
                region: row.region,
                postalCode: row.postalCode,
                country: row.country,
              },
        shipTos: [...shipTos]
          .sort((a, b) => a.position - b.position)
          .map((s) => ({
            code: s.code,
            name: s.name,
            addressLines: s.addressLines,
            city: s.city,
            region: s.region,
            postalCode: s.postalCode,
            country: s.country,
            defaultWarehouseCode: s.defaultWarehouseCode,
            taxAreaCode: s.taxAreaCode,
          })),
      },
      sourceId: row.sourceId,
      sourceModifiedAt: row.sourceModifiedAt,
      syncedAt: row.syncedAt,
    };
  },

  /** The md_customer row as JSON for `jsonb_to_recordset` (snake_case keys = column names). */
  toRow(r: RecordToWrite<Customer>): Record<string, unknown> {
    const c = r.record;
    return {
      erp_id: c.erpId,
      source_id: r.sourceId,
      name: c.name,
      parent_erp_id: c.parentErpId,
      status: c.status,
      credit_limit: c.creditLimit,
      balance_due: c.balanceDue,
      payment_terms: c.paymentTerms,
      currency: c.currency,
      tax_area_code: c.taxAreaCode,
      tax_exemption_number: c.taxExemptionNumber,
      tax_liable: c.taxLiable,
      email: c.email,
      phone: c.phone,
      website: c.website,
      address_lines: c.address?.addressLines ?? null,
      city: c.address?.city ?? null,
      region: c.address?.region ?? null,
      postal_code: c.address?.postalCode ?? null,
      country: c.address?.country ?? null,
      source_modified_at: r.modifiedAt.toISOString(),
      source_hash: r.hash,
    };
  },

  toShipToRows(c: Customer): Record<string, unknown>[] {
    return c.shipTos.map((s, position) => ({
      customer_erp_id: c.erpId,
      code: s.code,
      position,
      name: s.name,
      address_lines: s.addressLines,
      city: s.city,
      region: s.region,
      postal_code: s.postalCode,
      country: s.country,
      default_warehouse_code: s.defaultWarehouseCode,
      tax_area_code: s.taxAreaCode,
    }));
  },
};
