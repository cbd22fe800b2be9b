/** Canonical schema text and fingerprints: the same schema gets the same id, whatever its key order. */
import { createHash } from 'node:crypto';
import { SuyuanError } from '../errors.ts';
import { isJsonObject, type JsonValue } from '../standards/json.ts';

/** JSON with object keys sorted at every depth and no insignificant whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export function fingerprint(schemaType: string, canonical: string, references: readonly SchemaReference[]): string {
  const refs = canonicalJson([...references].sort((a, b) => a.name.localeCompare(b.name)));
  return createHash('sha256').update(`${schemaType}\n${canonical}\n${refs}`).digest('hex');
}

/** Parses schema text; a schema must be a JSON object or a boolean. Throws `SCHEMA_INVALID`. */
export function parseSchemaText(text: unknown): JsonValue {
  if (typeof text !== 'string') throw new SuyuanError('SCHEMA_INVALID', 'the schema must be given as a string of JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SuyuanError('SCHEMA_INVALID', `Invalid schema: ${(cause as Error).message}`, { cause });
  }
  if (!isJsonObject(value) && typeof value !== 'boolean') throw new SuyuanError('SCHEMA_INVALID', 'Invalid schema: a JSON schema is an object or a boolean');
  return value as JsonValue;
}
