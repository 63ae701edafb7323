import { AsyncLocalStorage } from 'node:async_hooks';
import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * One unit of work = one database transaction, carried by the async context instead of by an
 * `EntityManager` argument: a use case says `uow.run(() => …)`, and every repository it reaches —
 * in its own module or, through that module's public API, in another one — joins the same
 * transaction by asking `uow.manager`. Application code never sees an EntityManager; only
 * `infrastructure/` code reads `manager`.
 *
 * Nested `run` calls join the outer transaction (they do not open a savepoint: a failure anywhere
 * rolls the whole unit back, which is what one command wants). `runInSavepoint` is for the rare
 * step whose refusal must leave the outer transaction usable.
 */
@Injectable()
export class UnitOfWork {
  private readonly context = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction (or in the caller's, when one is open) and commits it. */
  run<T>(work: () => Promise<T>, options: { isolation?: IsolationLevel } = {}): Promise<T> {
    if (this.context.getStore()) return work();
    const body = (manager: EntityManager) => this.context.run(manager, work);
    return options.isolation
      ? this.dataSource.transaction(options.isolation, body)
      : this.dataSource.transaction(body);
  }

  /**
   * Runs `work` as a unit of work on a transaction the platform already opened (the delta-sync
   * runner's page transaction, handed to a stream's writer): what `work` writes commits with
   * that page and its watermark, or not at all.
   */
  join<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('UnitOfWork.join needs a manager whose transaction is open');
    }
    return this.context.run(manager, work);
  }

  /** Runs `work` inside the current transaction in a savepoint: its failure undoes only itself. */
  async runInSavepoint<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.context.getStore();
    if (!outer) return this.run(work);
    const name = `uow_${Math.random().toString(36).slice(2, 10)}`;
    await outer.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await outer.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await outer.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  /** Whether a unit of work is open in this async context. */
  get active(): boolean {
    return this.context.getStore() !== undefined;
  }

  /**
   * For repositories (infrastructure only): the open transaction's manager, or the DataSource's
   * own (autocommit) outside a unit of work.
   */
  get manager(): EntityManager {
    return this.context.getStore() ?? this.dataSource.manager;
  }
}

/** Provides the one UnitOfWork to every module. */
@Global()
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
