import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'md_warehouse' })
export class WarehouseOrmEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  name: string;

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

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'source_modified_at', type: 'timestamptz' })
  sourceModifiedAt: Date;

  @Column({ name: 'source_hash', type: 'text' })
  sourceHash: string;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;

  @Column({ name: 'change_seq', type: 'bigint' })
  changeSeq: string;
}
