import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLinear, linearPredict } from '../../engine/ml/linear.ts';
import { fitScale } from '../../engine/ml/scale.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sklearn/sklearn.json', import.meta.url), 'utf8')).diabetes;
const csv = readFileSync(new URL('../../engine/samples/diabetes.csv', import.meta.url), 'utf8').trim().split('\n');
const header = csv[0]!.split(',');
const rows = csv.slice(1).map((l) => l.split(',').map(Number));
const features: string[] = fixture.features;
const X = features.map((f) => Float64Array.from(rows, (r) => r[header.indexOf(f)]!));
const y = Float64Array.from(rows, (r) => r[header.indexOf('progression')]!);

function expectClose(actual: number[], expected: number[], rel: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i]!))));
}

describe('scalers match scikit-learn', () => {
  it('StandardScaler: mean and population std', () => {
    const s = fitScale(X, features, 'standard');
    expectClose(s.columns.map((c) => c.shift), fixture.standard.mean, 1e-12);
    expectClose(s.columns.map((c) => c.scale), fixture.standard.scale, 1e-12);
  });
  it('MinMaxScaler: min and range', () => {
    const s = fitScale(X, features, 'minmax');
    expectClose(s.columns.map((c) => c.shift), fixture.minmax.min, 0);
    expectClose(s.columns.map((c) => c.scale), fixture.minmax.range, 1e-15);
  });
});

describe('linear regression matches scikit-learn on standardized data', () => {
  const s = fitScale(X, features, 'standard');
  const Xs = X.map((col, j) => Float64Array.from(col, (v) => (v - s.columns[j]!.shift) / s.columns[j]!.scale));
  const cases = [
    ['none', { penalty: 'none', alpha: 1, l1Ratio: 0.5 }],
    ['l2', { penalty: 'l2', alpha: 1, l1Ratio: 0.5 }],
    ['l1', { penalty: 'l1', alpha: 0.1, l1Ratio: 1 }],
    ['elasticnet', { penalty: 'elasticnet', alpha: 0.1, l1Ratio: 0.5 }],
  ] as const;
  it.each(cases)('%s: coefficients and intercept within 1e-6 relative', (name, o) => {
    const fit = fitLinear(Xs, y, o);
    const ref = fixture.linear_standardized[name];
    expectClose(fit.coef, ref.coef, 1e-6);
    expectClose([fit.intercept], [ref.intercept], 1e-9);
    expectClose([...linearPredict(fit, Xs).slice(0, 5)], ref.first_predictions, 1e-9);
  });
  it('lasso sets some coefficients exactly to zero, as scikit-learn does', () => {
    const fit = fitLinear(Xs, y, { penalty: 'l1', alpha: 0.1, l1Ratio: 1 });
    const zeros = (fixture.linear_standardized.l1.coef as number[]).map((c) => c === 0);
    expect(fit.coef.map((c) => c === 0)).toEqual(zeros);
  });
  it('ordinary least squares on raw (unscaled) features', () => {
    const fit = fitLinear(X, y, { penalty: 'none', alpha: 0, l1Ratio: 0 });
    expectClose(fit.coef, fixture.linear_raw.coef, 1e-7);
    expectClose([fit.intercept], [fixture.linear_raw.intercept], 1e-7);
  });
});
