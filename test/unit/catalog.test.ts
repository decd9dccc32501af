import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, catalogJson } from '../../engine/index.ts';
import { nodeReference } from '../../engine/catalog/node-reference.ts';
import { main } from '../../cli/main.ts';

describe('catalog', () => {
  it('has the v1 kinds of the engine core, each in its own category', () => {
    expect([...catalog.keys()]).toEqual([
      'source.csv', 'source.parquet', 'source.json', 'source.sql', 'source.sample',
      'transform.filter', 'transform.select', 'transform.derive', 'transform.aggregate', 'transform.join',
      'transform.sort', 'transform.limit', 'transform.sample', 'transform.split', 'transform.window', 'transform.sql',
      'features.scale', 'features.onehot', 'features.impute', 'features.select',
      'model.linear', 'model.logistic', 'model.gbdt', 'model.random_forest', 'model.mlp', 'model.ensemble',
      'model.predict', 'model.evaluate', 'model.cross_validate',
      'tune.hpo', 'tune.automl',
      'analysis.profile', 'sink.csv', 'sink.parquet',
    ]);
    for (const def of catalog.values()) {
      expect(def.kind.startsWith(`${def.category}.`)).toBe(true);
      expect(def.version).toBeGreaterThanOrEqual(1);
      expect(Boolean(def.sql || def.file) !== Boolean(def.run)).toBe(true);
    }
  });

  it('describes every param (forms and docs are generated from these)', () => {
    for (const k of catalogJson(catalog)) {
      const props = (k.params as { properties?: Record<string, { description?: string }> }).properties ?? {};
      for (const [name, p] of Object.entries(props)) expect(p.description ?? '', `${k.kind}.${name}`).not.toBe('');
    }
  });

  it('docs/nodes.md is generated from the current catalog (run `npm run docs` after changing a kind)', () => {
    expect(readFileSync(new URL('../../docs/nodes.md', import.meta.url), 'utf8')).toBe(nodeReference(catalog));
  });

  it('`kanvas catalog --json` prints kinds, ports and params as JSON Schema', async () => {
    let out = '';
    const code = await main(['catalog', '--json'], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, cwd: '.', isTTY: false });
    expect(code).toBe(0);
    const kinds = JSON.parse(out) as { kind: string; inputs: object; outputs: object; params: { type: string; properties: object; required?: string[] } }[];
    const join = kinds.find((k) => k.kind === 'transform.join')!;
    expect(Object.keys(join.inputs)).toEqual(['left', 'right']);
    expect(join.params.type).toBe('object');
    expect(join.params.required).toEqual(['on']);
    expect(Object.keys(join.params.properties)).toEqual(['how', 'on', 'suffixes']);
  });
});
