import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import {
  RESERVATION_STATUSES,
  type Reservation,
  type ReservationStatus,
} from '../../domain/reservation.js';

export class ReservationsQueryParams {
  @ApiProperty({ description: 'Hub order id', example: 'ord_01JV7ZK3Q2' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  orderId: string;
}

export class ReservationLineResponse {
  @ApiProperty({ example: 1 })
  lineNo: number;

  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: 'EAST' })
  warehouse: string;

  @ApiProperty({ description: 'Base UoM, decimal string', example: '24' })
  quantity: string;
}

export class ReservationResponse {
  @ApiProperty({ format: 'uuid', example: '7d0f3c0e-9d1e-4b7a-8f34-2a8f1c9e5b21' })
  id: string;

  @ApiProperty({ example: 'ord_01JV7ZK3Q2' })
  orderId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  channelId: string | null;

  @ApiProperty({
    enum: RESERVATION_STATUSES,
    description:
      'ACTIVE holds stock; RELEASED (cancelled), EXPIRED (TTL) and HANDED_OVER (the ERP ' +
      'allocated the stock itself) no longer do',
    example: 'ACTIVE',
  })
  status: ReservationStatus;

  @ApiProperty({ type: [ReservationLineResponse] })
  lines: ReservationLineResponse[];

  @ApiProperty({ format: 'date-time', example: '2026-05-14T10:15:30.123Z' })
  expiresAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:30.123Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  closedAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  closeReason: string | null;

  static from(r: Reservation): ReservationResponse {
    return {
      id: r.id,
      orderId: r.orderId,
      channelId: r.channelId,
      status: r.status,
      lines: r.lines.map((l) => ({ ...l })),
      expiresAt: r.expiresAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      closeReason: r.closeReason,
    };
  }
}

export class ReservationListResponse {
  @ApiProperty({ type: [ReservationResponse], description: 'Oldest first' })
  items: ReservationResponse[];
}
