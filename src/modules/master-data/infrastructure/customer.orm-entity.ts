import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';

@Entity({ name: 'md_customer' })
export class CustomerOrmEntity {
  @PrimaryColumn({ name: 'erp_id', type: 'text' })
  erpId: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'parent_erp_id', type: 'text', nullable: true })
  parentErpId: string | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'credit_limit', type: 'numeric', precision: 19, scale: 4, nullable: true })
  creditLimit: string | null;

  @Column({ name: 'balance_due', type: 'numeric', precision: 19, scale: 4 })
  balanceDue: string;

  @Column({ name: 'payment_terms', type: 'text', nullable: true })
  paymentTerms: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'tax_area_code', type: 'text', nullable: true })
  taxAreaCode: string | null;

  @Column({ name: 'tax_exemption_number', type: 'text', nullable: true })
  taxExemptionNumber: string | null;

  @Column({ name: 'tax_liable', type: 'boolean' })
  taxLiable: boolean;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  /** NULL: the customer has no address (then the other address columns are NULL too). */
  @Column({ name: 'address_lines', type: 'text', array: true, nullable: true })
  addressLines: string[] | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'source_modified_at', type: 'timestamptz' })
  sourceModifiedAt: Date;

  @Column({ name: 'source_hash', type: 'text' })
  sourceHash: string;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;

  @Column({ name: 'change_seq', type: 'bigint' })
  changeSeq: string;

  @OneToMany(() => ShipToOrmEntity, (shipTo) => shipTo.customer)
  shipTos?: ShipToOrmEntity[];
}

@Entity({ name: 'md_ship_to' })
export class ShipToOrmEntity {
  @PrimaryColumn({ name: 'customer_erp_id', type: 'text' })
  customerErpId: string;

  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'address_lines', type: 'text', array: true })
  addressLines: string[];

  @Column({ type: 'text' })
  city: string;

  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ name: 'default_warehouse_code', type: 'text', nullable: true })
  defaultWarehouseCode: string | null;

  @Column({ name: 'tax_area_code', type: 'text', nullable: true })
  taxAreaCode: string | null;

  @ManyToOne(() => CustomerOrmEntity, (customer) => customer.shipTos, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_erp_id', referencedColumnName: 'erpId' })
  customer?: CustomerOrmEntity;
}
