import { ApiProperty } from '@nestjs/swagger';
import {
  CHANNEL_KINDS,
  CUSTOMER_SCOPE_KINDS,
  type ChannelKind,
  type CustomerScopeKind,
  type Scope,
  SCOPES,
} from '../../auth.types.js';

/** Who the API key identifies: what a channel team checks first when wiring its integration. */
export class CurrentChannelResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10' })
  id: string;

  @ApiProperty({ example: 'web-shop' })
  name: string;

  @ApiProperty({ enum: CHANNEL_KINDS, example: 'ecommerce' })
  kind: ChannelKind;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    example: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
    description: 'Scopes the API key carries',
  })
  scopes: Scope[];

  @ApiProperty({
    example: 'k3q7x2ab',
    description: 'Visible prefix of the API key used (cdk_<prefix>_…); the secret is never shown',
  })
  keyPrefix: string;

  @ApiProperty({
    enum: CUSTOMER_SCOPE_KINDS,
    example: 'LISTED',
    description:
      'Which customers this channel may act for: ALL, or LISTED (`customers` and their child ' +
      'accounts). Any other customer is answered as unknown.',
  })
  customerScope: CustomerScopeKind;

  @ApiProperty({ type: [String], example: ['C10001', 'C10003'], description: 'Empty for ALL' })
  customers: string[];
}
