import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_KINDS, type ChannelKind, type Scope, SCOPES } from '../../auth.types.js';

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
}
