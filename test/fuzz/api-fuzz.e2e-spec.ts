import { describeApiFuzz, fuzzSettings } from './api-fuzz-suite.js';

/**
 * Bounded fuzzing in `npm test`: a few thousand seeded requests over every operation of the spec
 * (`npm run fuzz` runs 50,000; FUZZ_REQUESTS, FUZZ_SEED, FUZZ_CONCURRENCY override).
 */
describeApiFuzz(fuzzSettings({ requests: 3_000, seed: 20261207, concurrency: 2 }), 240_000);
