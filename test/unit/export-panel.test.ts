/** The Export panel's logic (renderer/panels/export-panel-model.ts), without React. */
import { describe, expect, it } from 'vitest';
import { exportTargets } from '../../engine/index.ts';
import { exportForPanel, panelFiles, shownFile, skippedLines, targetChoices, today } from '../../renderer/panels/export-panel-model.ts';
import { pipeline } from '../support/engines.ts';

const doc = pipeline(
  [
    { id: 'src', kind: 'source.csv', params: { path: 'a.csv' } },
    { id: 'q', kind: 'transform.sql', params: { query: 'SELECT * FROM input' } },
    { id: 'keep', kind: 'transform.filter', params: { where: 'n > 1' } },
    { id: 'w', kind: 'sink.csv', params: { path: 'o.csv' } },
  ],
  ['src->q', 'q->w', 'src->keep'],
  'panel',
);
const cols = [{ name: 'n', type: 'BIGINT' }];
const schema = { columns: { src: { out: cols }, q: { out: cols }, keep: { out: cols } } };
const o = { schema, version: '1.2.3', date: '2026-03-04' };

describe('export panel model', () => {
  it('offers the four targets, in order', () => {
    expect(targetChoices.map((t) => t.value)).toEqual([...exportTargets]);
  });

  it('shows the main file first, with its language, and keeps a picked file while it exists', () => {
    const r = exportForPanel(doc, 'pandas', o);
    if (!r.ok) throw new Error(r.message);
    expect(panelFiles(r.result).map((f) => [f.name, f.language])).toEqual([['panel.py', 'python'], ['requirements.txt', 'text']]);
    expect(shownFile(r.result, null).name).toBe('panel.py');
    expect(shownFile(r.result, 'requirements.txt').text).toBe('pandas>=1.5\nnumpy>=1.23\n');
    expect(shownFile(r.result, 'gone.txt').name).toBe('panel.py');
    expect(shownFile(r.result, null).text).toContain('# Exported:  2026-03-04');
    expect(shownFile(r.result, null).text).toContain('# Kanvas:    1.2.3');
  });

  it('lists the nodes left out with their reasons', () => {
    const r = exportForPanel(doc, 'pandas', o);
    if (!r.ok) throw new Error(r.message);
    expect(skippedLines(r.result)).toEqual([
      expect.stringMatching(/^SQL \(q, transform\.sql\): free DuckDB SQL is not translated to pandas/),
      'Write CSV (w, sink.csv): needs the output of "q", which is not exported',
    ]);
    const s = exportForPanel(doc, 'sql', o);
    if (!s.ok) throw new Error(s.message);
    expect(skippedLines(s.result)).toEqual([]);
    expect(panelFiles(s.result).map((f) => f.language)).toEqual(['sql']);
  });

  it('turns an invalid document into a message instead of throwing', () => {
    const bad = pipeline([{ id: 'f', kind: 'transform.filter', params: { where: 'x >' } }], [], 'bad');
    const r = exportForPanel(bad, 'sql', o);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/f/);
  });

  it('dates the header with today by default', () => {
    expect(today(new Date('2026-07-08T23:59:00Z'))).toBe('2026-07-08');
  });
});
