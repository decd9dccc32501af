import { catalog, catalogJson } from '../engine/index.ts';
import type { CliIO } from './io.ts';
import { EXIT } from './io.ts';
import type { CliOptions } from './main.ts';

export function catalogCommand(values: CliOptions, io: CliIO): number {
  if (values.json) {
    io.stdout.write(`${JSON.stringify(catalogJson(catalog), null, 2)}\n`);
    return EXIT.ok;
  }
  let category = '';
  for (const def of catalog.values()) {
    if (def.category !== category) {
      category = def.category;
      io.stdout.write(`\n${category}\n`);
    }
    const ports = (ps: Record<string, { type: string; optional?: boolean }>) => Object.entries(ps).map(([n, p]) => `${n}${p.optional ? '?' : ''}:${p.type}`).join(', ') || '—';
    io.stdout.write(`  ${def.kind.padEnd(22)} ${def.description}\n`);
    io.stdout.write(`  ${''.padEnd(22)} in: ${ports(def.inputs)}   out: ${ports(def.outputs)}   params: ${Object.keys(def.params.shape).join(', ')}\n`);
  }
  return EXIT.ok;
}
