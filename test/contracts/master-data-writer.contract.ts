import { randomUUID } from 'node:crypto';
import type { DemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import {
  type Customer,
  MasterDataFeed,
  MasterDataWriter,
  type ShipTo,
} from '../../src/modules/master-data/index.js';
import { type DeltaChange, type DeltaPage } from '../../src/platform/delta-sync/index.js';
import { PermanentJobError } from '../../src/platform/jobs/index.js';

/** What one adapter's contract run needs: its writer, its feed, and ERP-side operations. */
export interface MasterDataWriterHarness {
  writer: MasterDataWriter;
  feed: MasterDataFeed;
  dataset: DemoDataset;
  /**
   * The ERP's own processing of what the integration handed it (on-prem: the import job over the
   * staging table); a no-op where writes apply at once (cloud).
   */
  erpProcesses(): Promise<void>;
  /** True for the error a writer throws while the ERP has not processed a staged change yet. */
  isPending(error: unknown): boolean;
  /**
   * Arms an ERP user's edit of the customer that lands between the writer's read and its write
   * (cloud: before the next PATCH of that customer); undefined where the adapter has no
   * optimistic concurrency to test (on-prem applies through the ERP's import job).
   */
  armConcurrentErpChange?: (
    customerNo: string,
    changes: { email?: string; phone?: string },
  ) => void;
  close(): Promise<void>;
}

async function readCustomer(feed: MasterDataFeed, erpId: string): Promise<DeltaChange<Customer>> {
  let cursor: string | null = null;
  do {
    const page: DeltaPage<Customer> = await feed.readCustomers({
      since: null,
      cursor,
      pageSize: 500,
    });
    for (const entry of page.records) {
      if ('record' in entry && entry.record.erpId === erpId) return entry;
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  throw new Error(`the feed has no customer ${erpId}`);
}

/**
 * The MasterDataWriter contract (src/modules/master-data/application/ports/master-data.writer.ts),
 * run against each adapter's ERP: a write reaches the ERP (the next feed read shows it), a
 * repeat with the same requestId applies nothing more, a concurrent ERP change is detected and
 * reported, and an unknown customer is a PermanentJobError (retrying cannot help).
 */
export function describeMasterDataWriterContract(
  name: string,
  setup: () => Promise<MasterDataWriterHarness>,
  options: { optimisticConcurrency: boolean },
): void {
  describe(`MasterDataWriter contract: ${name}`, () => {
    let h: MasterDataWriterHarness;
    let customers: string[];
    let next = 0;
    /** A customer no other test of this suite writes to. */
    const aCustomer = (): string => customers[next++ % customers.length];

    beforeAll(async () => {
      h = await setup();
      customers = h.dataset.customers
        .filter((c) => c.status === 'ACTIVE')
        .map((c) => c.customerNo)
        .slice(0, 12);
    }, 120_000);
    afterAll(async () => h?.close());

    /** Writes until done, letting the ERP process what was staged; the repeat is the same write, as a job retry is. */
    const settle = async (write: () => Promise<void>): Promise<void> => {
      try {
        await write();
      } catch (error) {
        if (!h.isPending(error)) throw error;
        await h.erpProcesses();
        await write();
      }
    };

    it('applies customer contact fields and the next feed read shows them', async () => {
      const erpId = aCustomer();
      const email = `ap-${randomUUID().slice(0, 8)}@example.com`;
      const write = {
        customerErpId: erpId,
        fields: { email, phone: '+1 555 0100' },
        requestId: randomUUID(),
      };
      await settle(() => h.writer.writeCustomerFields(write));
      const { record } = await readCustomer(h.feed, erpId);
      expect(record.email).toBe(email);
      expect(record.phone).toBe('+1 555 0100');
    });

    it('creates a new ship-to, then updates it, and the next feed read shows each', async () => {
      const erpId = aCustomer();
      const shipTo: ShipTo = {
        code: `W${randomUUID().slice(0, 6).toUpperCase()}`,
        name: 'Write-back dock',
        addressLines: ['7 Harbor Road', 'Gate 2'],
        city: 'Toledo',
        region: 'OH',
        postalCode: '43604',
        country: 'US',
        defaultWarehouseCode: null,
        taxAreaCode: null,
      };
      const create = { customerErpId: erpId, shipTo, requestId: randomUUID() };
      await settle(() => h.writer.writeShipTo(create));
      const created = (await readCustomer(h.feed, erpId)).record.shipTos.find(
        (s) => s.code === shipTo.code,
      );
      expect(created).toMatchObject({
        name: 'Write-back dock',
        addressLines: ['7 Harbor Road', 'Gate 2'],
        city: 'Toledo',
        region: 'OH',
        postalCode: '43604',
        country: 'US',
      });
      const update = {
        customerErpId: erpId,
        shipTo: { ...shipTo, city: 'Dayton', postalCode: '45402' },
        requestId: randomUUID(),
      };
      await settle(() => h.writer.writeShipTo(update));
      const updated = (await readCustomer(h.feed, erpId)).record.shipTos.find(
        (s) => s.code === shipTo.code,
      );
      expect(updated).toMatchObject({ city: 'Dayton', postalCode: '45402' });
    });

    it('applies a repeated write (same requestId) only once: the ERP record is not touched again', async () => {
      const erpId = aCustomer();
      const write = {
        customerErpId: erpId,
        fields: { phone: `+1 555 ${String(Date.now() % 10_000).padStart(4, '0')}` },
        requestId: randomUUID(),
      };
      await settle(() => h.writer.writeCustomerFields(write));
      const first = await readCustomer(h.feed, erpId);
      await settle(() => h.writer.writeCustomerFields(write));
      await h.erpProcesses();
      const second = await readCustomer(h.feed, erpId);
      expect(second.record.phone).toBe(write.fields.phone);
      expect(second.modifiedAt).toBe(first.modifiedAt);
    });

    it('fails permanently for a customer the ERP does not have', async () => {
      const unknown = `NOPE-${randomUUID().slice(0, 6)}`;
      const fields = h.writer.writeCustomerFields({
        customerErpId: unknown,
        fields: { email: 'x@example.com' },
        requestId: randomUUID(),
      });
      await expect(fields).rejects.toBeInstanceOf(PermanentJobError);
      await expect(fields).rejects.toMatchObject({ code: 'ERP_CUSTOMER_UNKNOWN' });
      const shipTo = h.writer.writeShipTo({
        customerErpId: unknown,
        shipTo: {
          code: 'X1',
          name: 'Nowhere',
          addressLines: ['1 Nowhere'],
          city: 'Nowhere',
          region: null,
          postalCode: null,
          country: 'US',
          defaultWarehouseCode: null,
          taxAreaCode: null,
        },
        requestId: randomUUID(),
      });
      await expect(shipTo).rejects.toMatchObject({ code: 'ERP_CUSTOMER_UNKNOWN' });
    });

    it('fails permanently for a customer field the ERP is the owner of (no write-back property)', async () => {
      const write = h.writer.writeCustomerFields({
        customerErpId: aCustomer(),
        fields: { creditLimit: '1.0000' },
        requestId: randomUUID(),
      });
      await expect(write).rejects.toMatchObject({ code: 'ERP_WRITE_UNSUPPORTED' });
    });

    // On-prem writes go through the ERP's own import job, which applies on the ERP's current
    // record: there is no version to compare, so these run for adapters with ETags only.
    (options.optimisticConcurrency ? describe : describe.skip)('a concurrent ERP change', () => {
      const arm = (customerNo: string, changes: { email?: string; phone?: string }): void => {
        if (!h.armConcurrentErpChange) throw new Error(`${name}: harness cannot arm an ERP change`);
        h.armConcurrentErpChange(customerNo, changes);
      };

      it('of a field being written is reported as a permanent ERP_WRITE_CONFLICT and the ERP value stands', async () => {
        const erpId = aCustomer();
        arm(erpId, { email: 'erp-user@example.com' });
        const write = h.writer.writeCustomerFields({
          customerErpId: erpId,
          fields: { email: 'hub@example.com' },
          requestId: randomUUID(),
        });
        await expect(write).rejects.toBeInstanceOf(PermanentJobError);
        await expect(write).rejects.toMatchObject({ code: 'ERP_WRITE_CONFLICT' });
        expect((await readCustomer(h.feed, erpId)).record.email).toBe('erp-user@example.com');
      });

      it('of another field is re-read and written with the fresh version: both changes stand', async () => {
        const erpId = aCustomer();
        arm(erpId, { phone: '+1 555 0199' });
        await h.writer.writeCustomerFields({
          customerErpId: erpId,
          fields: { email: 'fresh-etag@example.com' },
          requestId: randomUUID(),
        });
        const { record } = await readCustomer(h.feed, erpId);
        expect(record.email).toBe('fresh-etag@example.com');
        expect(record.phone).toBe('+1 555 0199');
      });
    });
  });
}
