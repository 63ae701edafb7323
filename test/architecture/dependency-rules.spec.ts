import {
  cruise,
  type ICruiseOptions,
  type ICruiseResult,
  type IViolation,
} from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const TSCONFIG = `${ROOT}tsconfig.json`;

/**
 * Cruises `src` under `baseDir` with the rules and options of .dependency-cruiser.cjs (the same
 * check `npm run lint` runs); with the fixtures as baseDir, their paths start with `src/` too.
 */
async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const result = await cruise(
    ['src'],
    {
      ...options,
      baseDir,
      validate: true,
      tsConfig: { fileName: TSCONFIG },
    },
    undefined,
    { tsConfig: extractTSConfig(TSCONFIG) },
  );
  const output = result.output;
  if (typeof output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  return output;
}

const describeViolation = (v: IViolation): string =>
  `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

/** Relative imports that did not resolve would make every rule silently pass. */
const unresolvedLocalImports = (result: ICruiseResult): string[] =>
  result.modules.flatMap((m) =>
    m.dependencies
      .filter((d) => d.couldNotResolve && d.module.startsWith('.'))
      .map((d) => `${m.source} -> ${d.module}`),
  );

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  it('finds no violation in src/', async () => {
    const result = await cruiseSrc(ROOT);
    expect(result.modules.length).toBeGreaterThan(10);
    expect(unresolvedLocalImports(result)).toEqual([]);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });

  describe('on a fixture tree that breaks each rule once', () => {
    let violations: string[];
    beforeAll(async () => {
      const result = await cruiseSrc(FIXTURES);
      expect(unresolvedLocalImports(result)).toEqual([]);
      violations = result.summary.violations.map(describeViolation);
    });

    it('refuses framework imports in domain/', () => {
      expect(violations).toContainEqual(
        expect.stringMatching(
          /^domain-is-plain-typescript: src\/modules\/orders\/domain\/framework-in-domain\.ts -> .*node_modules\/@nestjs\/common\//,
        ),
      );
    });

    it('refuses domain/ importing the application layer', () => {
      expect(violations).toContain(
        'domain-does-not-reach-out: src/modules/orders/domain/domain-reaches-out.ts -> src/modules/orders/application/place-order.ts',
      );
    });

    it("refuses a module importing another module's internals", () => {
      expect(violations).toContain(
        'modules-talk-through-index: src/modules/pricing/reaches-into-orders.ts -> src/modules/orders/infrastructure/order.repository.ts',
      );
    });

    it('refuses an adapter importing module internals', () => {
      expect(violations).toContain(
        'adapters-use-module-ports-through-index: src/adapters/erp/reaches-into-module.ts -> src/modules/orders/application/place-order.ts',
      );
    });

    it('refuses framework imports in the shared kernel, and lets domain/ use the kernel', () => {
      expect(violations).toContainEqual(
        expect.stringMatching(
          /^kernel-is-plain-typescript: src\/platform\/kernel\/framework-in-kernel\.ts -> .*node_modules\/@nestjs\/common\//,
        ),
      );
      expect(violations.filter((v) => v.includes('src/platform/kernel/instant.ts'))).toEqual([]);
    });

    it('refuses platform code importing a business module', () => {
      expect(violations).toContain(
        'platform-has-no-business-rules: src/platform/knows-business.ts -> src/modules/orders/index.ts',
      );
    });

    it('refuses production code importing an ERP simulator', () => {
      expect(violations).toContain(
        'simulators-are-test-equipment: src/adapters/erp/uses-simulator.ts -> src/erp-simulators/demo-erp.ts',
      );
    });

    it('refuses import cycles', () => {
      expect(violations).toContainEqual(
        expect.stringMatching(/^no-circular: src\/modules\/inventory\/cycle-/),
      );
    });

    it('flags nothing else: imports through index.ts and plain domain code pass', async () => {
      const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
      const rules = (options.ruleSet?.forbidden ?? []).map((r) => r.name).sort();
      // Exactly one planted break per rule.
      expect(violations.map((v) => v.split(':')[0]).sort()).toEqual(rules);
    });
  });
});
