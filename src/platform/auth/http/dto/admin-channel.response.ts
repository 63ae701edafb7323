import { ApiProperty } from '@nestjs/swagger';
import {
  CHANNEL_KINDS,
  CHANNEL_STATUSES,
  CUSTOMER_SCOPE_KINDS,
  type ChannelKind,
  type ChannelStatus,
  type CustomerScopeKind,
  type Scope,
  SCOPES,
} from '../../auth.types.js';

/** An API key as operations sees it: never the key, never its hash. */
export class AdminApiKeyResponse {
  @ApiProperty({ format: 'uuid', example: '7d0c8f8e-2b1a-4f43-8f5e-5a3e0c1b2d44' })
  id: string;

  @ApiProperty({ example: 'k3q7x2ab', description: 'Visible prefix of the key (cdk_<prefix>_…)' })
  prefix: string;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    example: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
  })
  scopes: Scope[];

  @ApiProperty({ format: 'date-time', example: '2025-11-29T08:00:00.000Z' })
  createdAt: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2025-11-30T14:21:00.000Z',
    description: 'Last authenticated use, at minute resolution; null if never used',
  })
  lastUsedAt: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'When the key was revoked; null while it is live',
  })
  revokedAt: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'When a key retired by rotation stops working (grace period); null: until revoked',
  })
  expiresAt: string | null;
}

export class AdminChannelResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10' })
  id: string;

  @ApiProperty({ example: 'web-shop' })
  name: string;

  @ApiProperty({ enum: CHANNEL_KINDS, example: 'ecommerce' })
  kind: ChannelKind;

  @ApiProperty({ enum: CHANNEL_STATUSES, example: 'active' })
  status: ChannelStatus;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 600,
    description: "Requests per minute for this channel; null means the hub's default",
  })
  rateLimitPerMinute: number | null;

  @ApiProperty({
    enum: CUSTOMER_SCOPE_KINDS,
    example: 'LISTED',
    description: 'ALL: every customer; LISTED: `customers` and their child accounts',
  })
  customerScope: CustomerScopeKind;

  @ApiProperty({ type: [String], example: ['C10001', 'C10003'], description: 'Empty for ALL' })
  customers: string[];

  @ApiProperty({ format: 'date-time', example: '2025-11-29T08:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: [AdminApiKeyResponse] })
  keys: AdminApiKeyResponse[];
}

export class AdminChannelListResponse {
  @ApiProperty({ type: [AdminChannelResponse] })
  items: AdminChannelResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'd2ViLXNob3A',
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor: string | null;
}
