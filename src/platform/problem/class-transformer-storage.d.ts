/**
 * class-transformer keeps `@Type()` metadata in a storage its index does not re-export; the
 * validation pipe reads it to find a DTO's nested classes (see validation.ts).
 */
declare module 'class-transformer/cjs/storage.js' {
  export const defaultMetadataStorage: {
    findTypeMetadata(
      target: abstract new (...args: never[]) => unknown,
      propertyName: string,
    ): { typeFunction: () => unknown; options?: { discriminator?: unknown } } | undefined;
  };
}
