import { ApiProperty } from '@nestjs/swagger';
import { Decimal } from 'decimal.js';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { PositionView } from '../../application/commands/safety-stock/set-safety-stock.command.js';
import { formatQuantity } from '../../domain/quantity.js';

export class PositionParams {
  @ApiProperty({ example: 'ABR-10015' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sku: string;

  @ApiProperty({ example: 'EAST' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  warehouse: string;
}

export class SafetyStockRequest {
  @ApiProperty({ description: 'Base UoM, decimal string, ≥ 0', example: '12' })
  @IsString()
  @MaxLength(30)
  safetyStock: string;
}

export class PositionResponse {
  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: 'EAST' })
  warehouse: string;

  @ApiProperty({ example: '140' })
  onHand: string;

  @ApiProperty({
    description: 'Allocated by the ERP, including hand-overs it has not reported yet',
    example: '10',
  })
  allocated: string;

  @ApiProperty({ description: 'Held by the hub for open reservations', example: '0' })
  reserved: string;

  @ApiProperty({ example: '12' })
  safetyStock: string;

  @ApiProperty({ description: 'ATP before channel rules', example: '118' })
  atp: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  stockEventAt: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:30.456Z' })
  updatedAt: string;

  static from(p: PositionView): PositionResponse {
    return {
      sku: p.sku,
      warehouse: p.warehouse,
      onHand: p.figures.onHand,
      allocated: formatQuantity(new Decimal(p.figures.allocated).plus(p.figures.allocationPending)),
      reserved: p.figures.reserved,
      safetyStock: p.figures.safetyStock,
      atp: p.atp,
      stockEventAt: p.stockEventAt?.toISOString() ?? null,
      updatedAt: p.updatedAt.toISOString(),
    };
  }
}
