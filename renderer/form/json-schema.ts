/** The part of JSON Schema (as zod's `toJSONSchema` writes it) that param forms understand. */
export interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  widget?: string;
  extensions?: string[];
  items?: FieldSchema;
  prefixItems?: FieldSchema[];
  properties?: Record<string, FieldSchema>;
  required?: string[];
  anyOf?: FieldSchema[];
  additionalProperties?: FieldSchema | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export type Path = (string | number)[];

export const pathKey = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');

/** Immutable set; `undefined` removes the key (an emptied optional param leaves the file). */
export function setIn(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(value) ? [...value] : [];
    arr[head] = setIn(arr[head], rest, next);
    return arr;
  }
  const obj = { ...((value as Record<string, unknown>) ?? {}) };
  const child = setIn(obj[head!], rest, next);
  if (child === undefined) delete obj[head!];
  else obj[head!] = child;
  return obj;
}

/** An empty value for a new list item of this schema (its defaults, and blanks for required text). */
export function emptyValue(schema: FieldSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.anyOf) return emptyValue(schema.anyOf[0]!);
  if (schema.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const name of schema.required ?? []) {
      const p = schema.properties?.[name];
      if (p && p.default === undefined) out[name] = emptyValue(p);
    }
    return out;
  }
  if (schema.type === 'array') return [];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'number' || schema.type === 'integer') return 0;
  if (schema.enum) return schema.enum[0];
  return '';
}
