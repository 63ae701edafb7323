import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';

@Entity({ name: 'md_item' })
export class ItemOrmEntity {
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'base_uom', type: 'text' })
  baseUom: string;

  @Column({ name: 'item_group', type: 'text', nullable: true })
  itemGroup: string | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'fulfillment_type', type: 'text' })
  fulfillmentType: string;

  @Column({ name: 'supplier_id', type: 'text', nullable: true })
  supplierId: string | null;

  @Column({ name: 'lot_controlled', type: 'boolean' })
  lotControlled: boolean;

  @Column({ type: 'text', array: true })
  substitutes: string[];

  @Column({ type: 'text', nullable: true })
  gtin: string | null;

  @Column({ name: 'tax_group_code', type: 'text', nullable: true })
  taxGroupCode: string | null;

  @Column({ name: 'source_modified_at', type: 'timestamptz' })
  sourceModifiedAt: Date;

  @Column({ name: 'source_hash', type: 'text' })
  sourceHash: string;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;

  @Column({ name: 'change_seq', type: 'bigint' })
  changeSeq: string;

  @OneToMany(() => ItemUomOrmEntity, (uom) => uom.item)
  uoms?: ItemUomOrmEntity[];
}

@Entity({ name: 'md_item_uom' })
export class ItemUomOrmEntity {
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @PrimaryColumn({ type: 'text' })
  uom: string;

  @Column({ type: 'integer' })
  position: number;

  /** Unconstrained numeric: the factor comes back exactly as written. */
  @Column({ type: 'numeric' })
  factor: string;

  @ManyToOne(() => ItemOrmEntity, (item) => item.uoms, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sku', referencedColumnName: 'sku' })
  item?: ItemOrmEntity;
}
