import { Platform1764400000000 } from './1764400000000-platform.js';

/**
 * Every migration of the hub database, in order. Listed explicitly (not globbed) so the same list
 * works from compiled ESM, from jest, and from the migration CLI.
 */
export const migrations = [Platform1764400000000];
