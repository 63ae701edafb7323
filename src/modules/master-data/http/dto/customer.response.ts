import { ApiProperty } from '@nestjs/swagger';
import { CUSTOMER_STATUSES, type Customer, type CustomerStatus } from '../../domain/customer.js';
import type { Synced } from '../../domain/synced.js';

export class ShipToResponse {
  @ApiProperty({ description: 'Ship-to code in the ERP, unique per customer', example: 'ST01' })
  code: string;

  @ApiProperty({ example: 'Acme Hardware, Main Warehouse' })
  name: string;

  @ApiProperty({ type: [String], example: ['1200 Industrial Pkwy', 'Dock 4'] })
  addressLines: string[];

  @ApiProperty({ example: 'Columbus' })
  city: string;

  @ApiProperty({ nullable: true, type: String, example: 'OH' })
  region: string | null;

  @ApiProperty({ nullable: true, type: String, example: '43215' })
  postalCode: string | null;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'US' })
  country: string;

  @ApiProperty({
    description: 'Warehouse that normally serves this address',
    nullable: true,
    type: String,
    example: 'EAST',
  })
  defaultWarehouseCode: string | null;

  @ApiProperty({
    description: "Tax area of deliveries here (overrides the customer's)",
    nullable: true,
    type: String,
    example: 'US-OH',
  })
  taxAreaCode: string | null;
}

export class CustomerAddressResponse {
  @ApiProperty({
    type: [String],
    description: 'Street lines; may be empty when the ERP keeps only part of the address',
    example: ['4410 Commerce Dr', 'Suite 300'],
  })
  addressLines: string[];

  @ApiProperty({ nullable: true, type: String, example: 'Columbus' })
  city: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'OH' })
  region: string | null;

  @ApiProperty({ nullable: true, type: String, example: '43215' })
  postalCode: string | null;

  @ApiProperty({
    description: 'ISO 3166-1 alpha-2',
    nullable: true,
    type: String,
    example: 'US',
  })
  country: string | null;
}

export class CustomerResponse {
  @ApiProperty({ description: 'ERP customer number', example: 'C10001' })
  id: string;

  @ApiProperty({ example: 'Acme Hardware Inc.' })
  name: string;

  @ApiProperty({
    description:
      'ERP number of the parent account (corporate hierarchy); it may not (yet) be in the hub',
    nullable: true,
    type: String,
    example: 'C10001',
  })
  parentId: string | null;

  @ApiProperty({
    enum: CUSTOMER_STATUSES,
    description: 'ACTIVE may order; BLOCKED must not get new orders; INACTIVE is no longer in use',
    example: 'ACTIVE',
  })
  status: CustomerStatus;

  @ApiProperty({
    description: 'Credit limit (decimal string, ERP local currency); null = no limit',
    nullable: true,
    type: String,
    example: '25000.0000',
  })
  creditLimit: string | null;

  @ApiProperty({
    description: 'Open balance (decimal string, ERP local currency); negative = in credit',
    example: '1834.5000',
  })
  balanceDue: string;

  @ApiProperty({
    description: 'Payment terms code',
    nullable: true,
    type: String,
    example: 'NET30',
  })
  paymentTerms: string | null;

  @ApiProperty({ description: 'ISO 4217 invoicing currency', example: 'USD' })
  currency: string;

  @ApiProperty({ nullable: true, type: String, example: 'US-OH' })
  taxAreaCode: string | null;

  @ApiProperty({
    description: 'Tax exemption certificate number, when exempt',
    nullable: true,
    type: String,
    example: null,
  })
  taxExemptionNumber: string | null;

  @ApiProperty({
    description:
      'Whether sales tax / VAT applies to this customer (ERP "tax liable"). Orders of a ' +
      'liable customer need a tax area (customer or ship-to) or an exemption number.',
    example: true,
  })
  taxLiable: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'purchasing@acme.example' })
  email: string | null;

  @ApiProperty({ nullable: true, type: String, example: '+1 614 555 0100' })
  phone: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'https://www.acme.example' })
  website: string | null;

  @ApiProperty({
    type: CustomerAddressResponse,
    nullable: true,
    description:
      "The customer's own (sell-to / bill-to) address as the ERP keeps it; null when it keeps " +
      'none. Deliveries go to `shipTos`.',
  })
  address: CustomerAddressResponse | null;

  @ApiProperty({ type: [ShipToResponse] })
  shipTos: ShipToResponse[];

  @ApiProperty({
    description: 'When the ERP last changed the customer',
    format: 'date-time',
    example: '2026-05-13T10:15:30.123Z',
  })
  sourceModifiedAt: string;

  @ApiProperty({
    description: 'When the hub last wrote its copy',
    format: 'date-time',
    example: '2026-05-13T10:17:02.456Z',
  })
  syncedAt: string;

  static from({ value: c, sourceModifiedAt, syncedAt }: Synced<Customer>): CustomerResponse {
    return {
      id: c.erpId,
      name: c.name,
      parentId: c.parentErpId,
      status: c.status,
      creditLimit: c.creditLimit,
      balanceDue: c.balanceDue,
      paymentTerms: c.paymentTerms,
      currency: c.currency,
      taxAreaCode: c.taxAreaCode,
      taxExemptionNumber: c.taxExemptionNumber,
      taxLiable: c.taxLiable,
      email: c.email,
      phone: c.phone,
      website: c.website,
      address: c.address ? { ...c.address, addressLines: [...c.address.addressLines] } : null,
      shipTos: c.shipTos.map((s) => ({ ...s })),
      sourceModifiedAt: sourceModifiedAt.toISOString(),
      syncedAt: syncedAt.toISOString(),
    };
  }
}

export class CustomerPageResponse {
  @ApiProperty({ type: [CustomerResponse] })
  items: CustomerResponse[];

  @ApiProperty({
    description:
      'Always present. While `hasMore` is true it fetches the next page. When `hasMore` is ' +
      'false you have every customer up to now: keep the cursor and call again later to ' +
      'receive only customers written since.',
    example: 'eyJ2IjoxLCJzIjpudWxsLCJxIjoiNDIiLCJrIjoiQzEwMDQyIn0',
  })
  nextCursor: string;

  @ApiProperty({ description: 'More customers are available right now', example: false })
  hasMore: boolean;
}
