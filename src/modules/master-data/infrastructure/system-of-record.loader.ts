import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  type FieldOwnership,
  type GovernedEntity,
  parseSystemOfRecord,
  type SystemOfRecord,
  SystemOfRecordError,
} from '../domain/system-of-record.js';

/** The matrix in effect (DI token): loaded once at start-up, never changed while running. */
export class SystemOfRecordMatrix {
  constructor(
    readonly matrix: SystemOfRecord,
    readonly file: string,
  ) {}

  field(entity: GovernedEntity, field: string): FieldOwnership {
    const ownership = this.matrix.entities[entity][field];
    // parseSystemOfRecord requires every hub field: a miss here is a programming error.
    if (!ownership) throw new Error(`The system-of-record matrix has no ${entity}.${field}`);
    return ownership;
  }
}

/** Reads and validates the matrix file (YAML, or JSON which is YAML too); throws naming bad entries. */
export function loadSystemOfRecord(file: string): SystemOfRecordMatrix {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SystemOfRecordError(file, [
      `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new SystemOfRecordError(file, [
      `is not valid YAML/JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  return new SystemOfRecordMatrix(parseSystemOfRecord(document, file), file);
}
