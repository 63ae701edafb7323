import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import {
  CUSTOMER_SCOPE_KINDS,
  type CustomerScopeKind,
  type Scope,
  SCOPES,
} from '../../auth.types.js';
import { MAX_GRACE_SECONDS } from '../../channels.service.js';
import { AdminApiKeyResponse } from './admin-channel.response.js';

const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const CUSTOMER_ID_MESSAGE =
  'each customer must be an ERP customer number (letters, digits, . _ / -)';
/** Per request; a channel may list up to 10 000 accounts in all. */
const MAX_CUSTOMERS_PER_REQUEST = 1000;

export class ChannelIdParams {
  @ApiProperty({ format: 'uuid', example: '0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10' })
  @IsUUID()
  id: string;
}

export class ChannelCustomerParams extends ChannelIdParams {
  @ApiProperty({ description: 'ERP customer number', example: 'C10003', maxLength: 100 })
  @IsString()
  @Matches(CUSTOMER_ID, { message: 'customerId must be an ERP customer number' })
  customerId: string;
}

export class ChannelKeyParams extends ChannelIdParams {
  @ApiProperty({
    description: 'The key id, or its visible prefix',
    example: 'k3q7x2ab',
    maxLength: 36,
  })
  @IsString()
  @Matches(/^([a-z2-7]{8}|[0-9a-fA-F-]{36})$/, { message: 'keyId must be a key id or prefix' })
  keyId: string;
}

export class CustomerScopeResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10' })
  channelId: string;

  @ApiProperty({
    enum: CUSTOMER_SCOPE_KINDS,
    example: 'LISTED',
    description:
      'ALL: every customer. LISTED: the accounts in `customers`, each with its child accounts in ' +
      'the ERP customer hierarchy; any other customer is answered as unknown (404 ' +
      'CUSTOMER_NOT_FOUND, 422 UNKNOWN_CUSTOMER on quotes, ORDER_REJECTED with CUSTOMER_NOT_FOUND)',
  })
  customerScope: CustomerScopeKind;

  @ApiProperty({
    type: [String],
    example: ['C10001', 'C10003'],
    description: 'The listed accounts, sorted; empty for ALL',
  })
  customers: string[];
}

export class PutCustomerScopeRequest {
  @ApiProperty({ enum: CUSTOMER_SCOPE_KINDS, example: 'LISTED' })
  @IsIn(CUSTOMER_SCOPE_KINDS)
  customerScope: CustomerScopeKind;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_CUSTOMERS_PER_REQUEST,
    example: ['C10001', 'C10003'],
    description:
      'Required for LISTED (may be empty: no customer at all); must be absent or empty with ALL',
  })
  @ValidateIf(
    (o: PutCustomerScopeRequest) => o.customerScope === 'LISTED' || o.customers !== undefined,
  )
  @IsArray()
  @ArrayMaxSize(MAX_CUSTOMERS_PER_REQUEST)
  @ValidateBy({
    name: 'emptyWithAll',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as PutCustomerScopeRequest).customerScope !== 'ALL' ||
        (Array.isArray(value) && value.length === 0),
      defaultMessage: () => 'customers must be absent or empty when customerScope is ALL',
    },
  })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(CUSTOMER_ID, { each: true, message: CUSTOMER_ID_MESSAGE })
  customers?: string[];
}

export class AddCustomersRequest {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_CUSTOMERS_PER_REQUEST,
    example: ['C10006'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CUSTOMERS_PER_REQUEST)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(CUSTOMER_ID, { each: true, message: CUSTOMER_ID_MESSAGE })
  customers: string[];
}

export class CreateKeyRequest {
  @ApiPropertyOptional({
    default: true,
    example: true,
    description:
      "Retire the channel's live keys (rotation). false: an additional key, the others untouched",
  })
  @IsOptional()
  @IsBoolean()
  rotate?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_GRACE_SECONDS,
    default: 0,
    example: 3600,
    description: 'With rotate: how long the retired keys keep working (0: revoked at once)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  graceSeconds?: number;

  @ApiPropertyOptional({
    enum: SCOPES,
    isArray: true,
    maxItems: SCOPES.length,
    example: ['orders:write', 'orders:read', 'pricing:read'],
    description: "Scopes of the new key; default: those of the channel's newest live key",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SCOPES.length)
  @IsIn(SCOPES, { each: true })
  scopes?: Scope[];
}

export class CreatedKeyResponse {
  @ApiProperty({ type: AdminApiKeyResponse })
  key: AdminApiKeyResponse;

  @ApiProperty({
    example: 'cdk_k3q7x2ab_3q2-7mX0cZ1lVh0aH6qkqS9Qb1x0Yx1l7v8V9cW2mQ4pT5s',
    description: 'The new API key: shown in this answer only, never again (stored hashed)',
  })
  apiKey: string;

  @ApiProperty({
    type: [AdminApiKeyResponse],
    description: 'Keys retired by the rotation, with their revokedAt or expiresAt',
  })
  retired: AdminApiKeyResponse[];
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [AdminApiKeyResponse] })
  items: AdminApiKeyResponse[];
}
