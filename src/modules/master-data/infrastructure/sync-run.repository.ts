import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SyncRun } from '../domain/sync-run.js';
import { SyncRunMapper } from './sync-run.mapper.js';
import { SyncRunOrmEntity } from './sync-run.orm-entity.js';

export interface SyncRunPosition {
  startedAt: string;
  id: string;
}

@Injectable()
export class SyncRunRepository {
  constructor(
    @InjectRepository(SyncRunOrmEntity) private readonly runs: Repository<SyncRunOrmEntity>,
  ) {}

  async save(run: SyncRun): Promise<void> {
    await this.runs.save(SyncRunMapper.toRow(run));
  }

  async findById(id: string): Promise<SyncRun | null> {
    const row = await this.runs.findOne({ where: { id } });
    return row ? SyncRunMapper.toDomain(row) : null;
  }

  async findRunning(): Promise<SyncRun | null> {
    const row = await this.runs.findOne({
      where: { status: 'running' },
      order: { startedAt: 'DESC' },
    });
    return row ? SyncRunMapper.toDomain(row) : null;
  }

  /**
   * Runs left `running` by an instance that died. Only called while holding the sync lock, so no
   * run can really be in progress.
   */
  async failAbandoned(now: Date): Promise<number> {
    const result = await this.runs
      .createQueryBuilder()
      .update()
      .set({
        status: 'failed',
        finishedAt: now,
        error: 'Interrupted: the instance running this sync stopped before it finished.',
      })
      .where('status = :status', { status: 'running' })
      .execute();
    return result.affected ?? 0;
  }

  /** Newest first; `after` is the last run of the previous page. */
  async list(input: { after: SyncRunPosition | null; limit: number }): Promise<SyncRun[]> {
    const query = this.runs.createQueryBuilder('r');
    if (input.after) {
      query.where('(r.startedAt, r.id) < (CAST(:startedAt AS timestamptz), CAST(:id AS uuid))', {
        startedAt: input.after.startedAt,
        id: input.after.id,
      });
    }
    const rows = await query
      .orderBy('r.startedAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(input.limit)
      .getMany();
    return rows.map(SyncRunMapper.toDomain);
  }
}
