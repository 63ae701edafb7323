/*
 * The shared kernel: framework-free building blocks that modules' domain code may use (the one
 * part of src/platform a domain/ folder may import; .dependency-cruiser.cjs enforces both sides).
 * Plain TypeScript only: no NestJS, TypeORM, pg or logging here.
 */
export {
  RecordReader,
  isIsoDate,
  type DecimalOptions,
  type RecordCheck,
  type RecordProblem,
} from './record-reader.js';
export { parseSourceInstant } from './instant.js';
