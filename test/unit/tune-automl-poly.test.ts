import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/index.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import type { LinearState } from '../../engine/ml/linear.ts';
import { engineKinds, openEngine, pipeline, resolve, runDoc, tempDir } from '../support/engines.ts';

describe.each(engineKinds)('tune.automl with polynomial terms (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('attaches the degree-2 step to the model, and model.predict applies it to raw data', async () => {
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
        { id: 'cols', kind: 'transform.select', params: { columns: ['age', 'bmi', 'progression'] } },
        { id: 'auto', kind: 'tune.automl', params: { target: 'progression', models: ['model.linear'], polynomial: 'on', scaling: 'off', selection: false, trials: 2, timeBudget: 0, seed: 1 } },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['src->cols', 'cols->auto', { from: 'auto', fromPort: 'model', to: 'pred', toPort: 'model' }, { from: 'cols', to: 'pred', toPort: 'data' }],
    );
    const { record, rows } = await runDoc(engine, doc, tempDir());
    expect(record.status, JSON.stringify(record.problems)).toBe('ok');
    const model = (engine.output(resolve(doc), 'auto', 'model') as { artifact: ModelArtifact<LinearState> }).artifact;
    expect(model.preprocessing?.map((p) => p.kind)).toEqual(['features.poly']);
    expect(model.features.map((f) => f.name)).toEqual(['age', 'bmi', 'age^2', 'age bmi', 'bmi^2']);
    const out = await rows('pred');
    const col = (name: string) => out.columns.findIndex((c) => c.name === name);
    expect(out.rows).toHaveLength(442);
    for (const r of out.rows.slice(0, 20)) {
      const [age, bmi] = [r[col('age')] as number, r[col('bmi')] as number];
      const x = [age, bmi, age * age, age * bmi, bmi * bmi];
      const expected = model.state.intercept + model.state.coef.reduce((s, c, j) => s + c * x[j]!, 0);
      expect(Math.abs((r[col('prediction')] as number) - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
    }
  });
});
