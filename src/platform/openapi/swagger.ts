import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'apiKey';
export const BEARER_SCHEME = 'bearer';
/** `/metrics` only, and only when the hub runs with METRICS_TOKEN. */
export const METRICS_TOKEN_SCHEME = 'metricsToken';
export const MONITORING_TAG = 'Monitoring';

const DESCRIPTION = `Crossdock is the integration hub between a distributor's ERP and its sales channels.

**Authentication**: every \`/v1\` endpoint takes a channel API key, as \`Authorization: Bearer <key>\`
or \`X-Api-Key: <key>\`. Keys carry scopes (\`orders:write\`, \`pricing:read\`, …).

**Errors** are RFC 9457 \`application/problem+json\` documents with a stable \`code\`, the
\`correlationId\` of the request and, for validation failures, every \`violations[]\` entry.

**Correlation**: send \`X-Correlation-Id\` (1–128 characters of \`A-Z a-z 0-9 . _ : -\`) or one is
generated; it is echoed on every response.

**Idempotency**: mutating endpoints require \`Idempotency-Key\` (IETF httpapi draft): the same key
and body replay the stored response (\`Idempotent-Replayed: true\`), the same key with another body
is 422, and a key whose first request is still running is 409.

**Money and quantities** are decimal strings (\`"12.3400"\`), never JSON numbers.`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Crossdock API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://crossdock.invalid/license')
    .addServer('http://127.0.0.1:3000', 'Local hub')
    // addSecurity, not addBearerAuth: the latter labels the token a JWT, and API keys are opaque.
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'Channel API key, as `Authorization: Bearer <key>`',
    })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'Channel API key',
      },
      API_KEY_SCHEME,
    )
    .addSecurity(METRICS_TOKEN_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'The METRICS_TOKEN the hub is configured with (scrapers only)',
    })
    .addTag(MONITORING_TAG, 'Health probes and Prometheus metrics, for monitors and orchestrators')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return sortDeep(document) as OpenAPIObject;
}

export function mountSwaggerUi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Deterministic output: object keys sorted, arrays kept in their meaningful order. */
export function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
