/**
 * Architecture rules (ARCHITECTURE.md, CONVENTIONS.md rules 2 and 5), checked by `npm run lint`
 * and by test/architecture/dependency-rules.spec.ts.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain-typescript',
      severity: 'error',
      comment:
        'domain/ holds business rules only: no NestJS, TypeORM, class-validator, pg or pino.',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: {
        path: 'node_modules/(@nestjs|typeorm|class-validator|class-transformer|pg|pino|nestjs-pino|@fastify|fastify)/',
      },
    },
    {
      name: 'domain-does-not-reach-out',
      severity: 'error',
      comment:
        'domain/ may not import application, infrastructure, http, adapters or platform code ' +
        '(except the shared kernel, src/platform/kernel: framework-free building blocks).',
      from: { path: '^src/modules/([^/]+)/domain/' },
      to: {
        path: '^src/(adapters|platform)/|^src/modules/[^/]+/(application|infrastructure|http)/',
        pathNot: '^src/platform/kernel/',
      },
    },
    {
      name: 'kernel-is-plain-typescript',
      severity: 'error',
      comment:
        'src/platform/kernel is what domain/ code may import: no framework, nothing else of src/.',
      from: { path: '^src/platform/kernel/' },
      to: {
        path: 'node_modules/(@nestjs|typeorm|class-validator|class-transformer|pg|pino|nestjs-pino|@fastify|fastify)/|^src/',
        pathNot: '^src/platform/kernel/',
      },
    },
    {
      name: 'modules-talk-through-index',
      severity: 'error',
      comment: "A module may import another module only through that module's index.ts.",
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/.+',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'adapters-use-module-ports-through-index',
      severity: 'error',
      comment:
        'ERP adapters implement ports they get from a module index.ts, never module internals.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'platform-has-no-business-rules',
      severity: 'error',
      comment:
        'platform/ is cross-cutting infrastructure: it never imports a business module or adapter.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|adapters)/' },
    },
    {
      name: 'simulators-are-test-equipment',
      severity: 'error',
      comment:
        'src/erp-simulators (demo data, the demo on-prem ERP, the cloud ERP sandbox) is demo and test ' +
        'equipment wired by the composition root: adapters, modules, platform and config never import it.',
      from: { path: '^src/(adapters|modules|platform|config)/' },
      to: { path: '^src/erp-simulators/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'ESM + decorator metadata turns import cycles into TDZ errors at start-up.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
