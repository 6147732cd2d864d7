import type { JsonSchema } from './contract-schemas';

/**
 * The Hive type the JSON SerDe reads a JSON Schema's values as: integers as bigint, numbers as
 * double, objects with properties as structs (field names lower-cased, as the SerDe matches
 * them), objects of one value type as maps. Resolves `$ref`s within and across the schema files.
 */
export function hiveTypeOf(
  schema: JsonSchema,
  file: string,
  files: Readonly<Record<string, JsonSchema>>,
): string {
  const ref = schema.$ref as string | undefined;
  if (ref) {
    const [target, pointer = ''] = ref.split('#');
    const targetFile = target || file;
    let node: unknown = files[targetFile];
    for (const part of pointer.split('/').filter((p) => p.length > 0)) {
      node = (node as Record<string, unknown>)[part];
    }
    if (!node) throw new Error(`${file}: $ref ${ref} resolves to nothing`);
    return hiveTypeOf(node as JsonSchema, targetFile, files);
  }
  if ('const' in schema) return typeof schema.const === 'number' ? 'bigint' : 'string';
  if (Array.isArray(schema.enum)) {
    if (schema.enum.every((value) => typeof value === 'string')) return 'string';
    throw new Error(`${file}: an enum of non-strings has no Hive type here`);
  }
  switch (schema.type) {
    case 'integer':
      return 'bigint';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `array<${hiveTypeOf(schema.items as JsonSchema, file, files)}>`;
    case 'object': {
      const properties = schema.properties as Record<string, JsonSchema> | undefined;
      if (properties) {
        const fields = Object.entries(properties).map(
          ([name, property]) => `${name.toLowerCase()}:${hiveTypeOf(property, file, files)}`,
        );
        return `struct<${fields.join(',')}>`;
      }
      const values = schema.additionalProperties;
      if (typeof values === 'object' && values !== null) {
        return `map<string,${hiveTypeOf(values as JsonSchema, file, files)}>`;
      }
      throw new Error(`${file}: an object without properties or a value type has no Hive type`);
    }
    default:
      throw new Error(`${file}: no Hive type for ${JSON.stringify(schema)}`);
  }
}

/** The top-level properties of a schema file as Glue columns (lower-cased name, Hive type). */
export function schemaColumns(
  file: string,
  files: Readonly<Record<string, JsonSchema>>,
): { name: string; type: string }[] {
  const properties = files[file]?.properties as Record<string, JsonSchema> | undefined;
  if (!properties) throw new Error(`${file}: no such schema, or it has no properties`);
  return Object.entries(properties).map(([name, property]) => ({
    name: name.toLowerCase(),
    type: hiveTypeOf(property, file, files),
  }));
}
