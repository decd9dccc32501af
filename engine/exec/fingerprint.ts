import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * What a node's output depends on. Its hash is the cache key: equal fingerprints, equal output.
 * Kept whole between runs so the run record can say which part changed.
 */
export interface Fingerprint {
  kind: string;
  version: number;
  /** Param name → canonical JSON of its value (defaults filled in). */
  params: Record<string, string>;
  /** Input port → `<upstream node id>`, and the upstream output's key. */
  inputs: Record<string, { node: string; key: string }>;
  /** Files the node reads or writes, with size and mtime when read. */
  files: Record<string, string>;
}

export function fingerprintKey(f: Fingerprint): string {
  const inputs = Object.fromEntries(Object.entries(f.inputs).map(([port, i]) => [port, i.key]));
  return hash(canonicalJson({ kind: f.kind, version: f.version, params: f.params, inputs, files: f.files }));
}

export function hash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Why a node whose output is not cached must run, compared with its last run. */
export function changeReason(now: Fingerprint, before: Fingerprint | undefined): string {
  if (!before) return 'first run';
  if (now.kind !== before.kind) return `kind changed from ${before.kind}`;
  if (now.version !== before.version) return `${now.kind} changed from version ${before.version} to ${now.version}`;
  const reasons: string[] = [];
  const params = changedKeys(now.params, before.params);
  if (params.length) reasons.push(`param${params.length > 1 ? 's' : ''} ${params.map((p) => `"${p}"`).join(', ')} changed`);
  for (const [port, input] of Object.entries(now.inputs)) {
    const old = before.inputs[port];
    if (!old || old.node !== input.node) reasons.push(`input "${port}" now comes from "${input.node}"`);
    else if (old.key !== input.key) reasons.push(`input "${port}" changed (upstream "${input.node}")`);
  }
  for (const file of changedKeys(now.files, before.files)) reasons.push(`file ${file} changed`);
  return reasons.length ? reasons.join('; ') : 'output not in cache';
}

function changedKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => a[k] !== b[k]);
}
