/*
 * npm run fuzz — the API fuzz of `npm test` (test/fuzz), long: 50,000 seeded requests over every
 * operation of openapi/openapi.json by default, 4 at a time, against a hub with the on-prem demo
 * ERP and its synced demo data. Settings (env): FUZZ_REQUESTS (50000), FUZZ_SEED (20261207),
 * FUZZ_CONCURRENCY (4), FUZZ_REPORT (a file: the whole report as JSON, every failure with the
 * request that caused it). Uses DATABASE_URL's server when set, else an embedded PostgreSQL (the
 * test suite's global setup). Prints the counts per status; fails on any 5xx, any 4xx that is not
 * problem+json with the request's correlation id, and any 2xx that its schema does not describe.
 */
import { describeApiFuzz, fuzzSettings } from '../test/fuzz/api-fuzz-suite.js';

describeApiFuzz(fuzzSettings({ requests: 50_000, seed: 20261207, concurrency: 4 }), 4 * 3_600_000);
