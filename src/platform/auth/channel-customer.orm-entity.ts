import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One customer account a LISTED channel may act for (its child accounts included). */
@Entity({ name: 'channel_customer' })
export class ChannelCustomerOrmEntity {
  @PrimaryColumn({ name: 'channel_id', type: 'uuid' })
  channelId: string;

  /** ERP customer number. */
  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
