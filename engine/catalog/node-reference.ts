import type { NodeDefinition } from './define-node.ts';
import { catalogJson } from './catalog-json.ts';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  additionalProperties?: Schema | boolean;
  prefixItems?: Schema[];
};

/** The node reference (docs/nodes.md), generated from the catalog so it cannot drift. */
export function nodeReference(catalog: ReadonlyMap<string, NodeDefinition>): string {
  const out = [
    '# Node reference',
    '',
    'Generated from the engine catalog by `npm run docs`; do not edit by hand.',
    'Every kind lists its ports and params; params with a default may be left out of the pipeline file.',
    '',
  ];
  let category = '';
  for (const k of catalogJson(catalog)) {
    if (k.category !== category) {
      category = k.category;
      out.push(`## ${category}`, '');
    }
    out.push(`### \`${k.kind}\` — ${k.title}`, '', k.description, '');
    if (k.docs) out.push(k.docs, '');
    const ports = (side: string, ps: Record<string, { type: string; description?: string; optional?: boolean }>) =>
      Object.entries(ps).map(([name, p]) => `- ${side} \`${name}\`: ${p.type}${p.optional ? ' (optional)' : ''}${p.description ? ` — ${p.description}` : ''}`);
    const portLines = [...ports('input', k.inputs), ...ports('output', k.outputs)];
    if (portLines.length) out.push(...portLines, '');
    const schema = k.params as Schema;
    const props = Object.entries(schema.properties ?? {});
    if (props.length) {
      out.push('| param | type | required / default | description |', '|---|---|---|---|');
      for (const [name, p] of props) {
        const req = schema.required?.includes(name) && p.default === undefined ? 'required' : p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : 'optional';
        out.push(`| \`${name}\` | ${typeText(p)} | ${req} | ${(p.description ?? '').replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function typeText(s: Schema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeText).join(' or ');
  if (s.type === 'array') return s.prefixItems ? `[${s.prefixItems.map(typeText).join(', ')}]` : `list of ${s.items ? typeText(s.items) : 'values'}`;
  if (s.type === 'object' && s.properties) return `object {${Object.keys(s.properties).join(', ')}}`;
  if (s.type === 'object') return `object (name → ${typeof s.additionalProperties === 'object' ? typeText(s.additionalProperties) : 'value'})`;
  return Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
}
