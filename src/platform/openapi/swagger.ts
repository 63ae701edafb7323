import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { finishDocument } from './finish-document.js';

export const API_KEY_SCHEME = 'apiKey';
export const BEARER_SCHEME = 'bearer';
/** `/metrics` only, and only when the hub runs with METRICS_TOKEN. */
export const METRICS_TOKEN_SCHEME = 'metricsToken';
export const MONITORING_TAG = 'Monitoring';

/**
 * Every tag, in the order a reader meets them: what a channel developer calls first, operations
 * and administration last. A controller's @ApiTags must name one of these (test/platform/openapi).
 */
export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'Orders', description: 'Submit orders, follow them to the ERP, cancel them' },
  { name: 'Pricing', description: "Quotes at the customer's ERP prices, with the price trace" },
  { name: 'Inventory', description: 'Available-to-promise per SKU and warehouse, reservations' },
  {
    name: 'Fulfillment',
    description:
      'Shipments confirmed by WMS/3PL and drop-ship suppliers or posted in the ERP, with tracking; ERP invoices',
  },
  { name: 'Customers', description: "The ERP's customers and ship-tos, as the hub holds them" },
  { name: 'Items', description: "The ERP's items (SKUs), units of measure and substitutes" },
  { name: 'Channels', description: 'What the calling channel is and may do' },
  {
    name: 'Operations',
    description: 'Sync runs, stock positions and the exception queue (ops:admin keys)',
  },
  {
    name: 'Master data governance',
    description: 'Field ownership and the stewardship queue of proposed changes (ops:admin keys)',
  },
  { name: 'Administration', description: 'Channels and their API keys (ops:admin keys)' },
  { name: MONITORING_TAG, description: 'Health probes and Prometheus metrics, for monitors' },
];

const DESCRIPTION = `Crossdock is the integration hub between a distributor's ERP and its sales channels.

**Authentication**: every \`/v1\` endpoint takes a channel API key, as \`Authorization: Bearer <key>\`
or \`X-Api-Key: <key>\`. Keys carry scopes (\`orders:write\`, \`pricing:read\`, …).

**Errors** are RFC 9457 \`application/problem+json\` documents with a stable \`code\`, the
\`correlationId\` of the request and, for validation failures, every \`violations[]\` entry.

**Correlation**: send \`X-Correlation-Id\` (1–128 characters of \`A-Z a-z 0-9 . _ : -\`) or one is
generated; it is echoed on every response.

**Idempotency**: the endpoints that create or change data on a channel's behalf (\`POST /v1/orders\`,
\`PATCH /v1/customers/{id}\`, \`POST /v1/customers/{id}/ship-tos\`) require \`Idempotency-Key\` (IETF
httpapi draft): the same key and body replay the stored response (\`Idempotent-Replayed: true\`),
the same key with another body is 422, and a key whose first request is still running is 409.
The others are safe to retry without one: cancelling a cancelled order returns it as it is, stock
events are deduplicated by their \`eventId\`, quotes and availability queries change nothing, \`PUT\`
and \`DELETE\` set a state, and operations actions check the state they act on (a repeat is 409).

**Money and quantities** are decimal strings (\`"12.3400"\`), never JSON numbers.`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Crossdock API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://crossdock.invalid/license')
    // Relative: the hub that serves the document (whatever its host and PORT) is the server.
    .addServer('/', 'This hub')
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
    .build();
  config.tags = API_TAGS.map((tag) => ({ ...tag }));
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return sortDeep(finishDocument(document, app)) as OpenAPIObject;
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
