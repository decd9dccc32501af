import { CURRENT_VERSION } from './schema.ts';

type Json = Record<string, unknown>;

/**
 * Document migrations: `migrations[n]` turns a format-version-n document into version n + 1.
 * Version 1 is the first format, so there is nothing to migrate yet; a format change adds a
 * step here and bumps CURRENT_VERSION, and old files keep loading.
 */
export const migrations: Record<number, (doc: Json) => Json> = {};

/** Applies the migrations from the document's version up to the current one. */
export function migrateDocument(
  doc: Json,
  list: Record<number, (doc: Json) => Json> = migrations,
  target: number = CURRENT_VERSION,
): Json {
  let current = doc;
  let version = typeof current.version === 'number' ? current.version : target;
  while (version < target) {
    const step = list[version];
    if (!step) throw new Error(`no migration from format version ${version}`);
    current = { ...step(current), version: version + 1 };
    version++;
  }
  return current;
}
