/**
 * A study as node outputs: the trials table, and a report whose "Study" and "Trials" sections
 * hold everything needed to resume it (the study's settings as canonical JSON, and each trial's
 * params, value, state, intermediate values and duration, numbers exact).
 */
import type { PortValue, ReportSection, ReportValue, TableValue } from '../catalog/define-node.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { canonicalJson } from '../exec/fingerprint.ts';
import { ident, literal } from '../sql/quote.ts';
import { paramImportance } from './importance.ts';
import type { Distribution, Params } from './space.ts';
import { bestTrial, type Direction, type FrozenTrial, type TrialState } from './study.ts';

export const TRIALS_SECTION = 'Trials';
export const STUDY_SECTION = 'Study';

const trialColumns: ColumnInfo[] = [
  { name: 'number', type: 'INTEGER' },
  { name: 'state', type: 'VARCHAR' },
  { name: 'value', type: 'DOUBLE' },
  { name: 'best_value', type: 'DOUBLE' },
  { name: 'duration_ms', type: 'DOUBLE' },
  { name: 'params', type: 'VARCHAR' },
  { name: 'intermediate', type: 'VARCHAR' },
];

/** One row per trial, as the report stores it: intermediate values as a JSON list by step. */
export function trialRow(t: FrozenTrial, bestSoFar: number | null): Primitive[] {
  const byStep: (number | null)[] = [];
  for (const r of t.intermediate) byStep[r.step] = Number.isFinite(r.value) ? r.value : null;
  return [t.number, t.state, t.value, bestSoFar, t.durationMs, canonicalJson(t.params), JSON.stringify(Array.from(byStep, (v) => v ?? null))];
}

/** Rows of the Trials section, with the best value so far in each. */
export function trialRows(trials: readonly FrozenTrial[], direction: Direction): Primitive[][] {
  let best: number | null = null;
  return trials.map((t) => {
    if (t.state === 'complete' && t.value !== null && (best === null || (direction === 'minimize' ? t.value < best : t.value > best))) best = t.value;
    return trialRow(t, best);
  });
}

/** The trials back from a report made by `studyReport`, if its settings equal `config`. */
export function readStudy(value: PortValue | undefined, config: unknown): FrozenTrial[] | undefined {
  if (value?.type !== 'report') return undefined;
  const study = value.sections.find((s) => s.kind === 'table' && s.title === STUDY_SECTION);
  const trials = value.sections.find((s) => s.kind === 'table' && s.title === TRIALS_SECTION);
  if (study?.kind !== 'table' || trials?.kind !== 'table') return undefined;
  const stored = study.rows.find((r) => r[0] === 'config')?.[1];
  if (stored !== canonicalJson(config)) return undefined;
  return trials.rows.map((r) => ({
    number: r[0] as number,
    state: r[1] as TrialState,
    value: r[2] as number | null,
    durationMs: r[4] as number,
    params: JSON.parse(r[5] as string) as Params,
    intermediate: (JSON.parse(r[6] as string) as (number | null)[]).flatMap((v, step) => (v === null ? [] : [{ step, value: v }])),
  }));
}

/** The trials table output: number, state, value, best so far, duration, params (JSON and one column each). */
export async function trialsTable(
  materialize: (sql: string) => Promise<TableValue>,
  trials: readonly FrozenTrial[],
  space: Record<string, Distribution>,
  direction: Direction,
): Promise<TableValue> {
  const names = Object.keys(space);
  const paramColumns: ColumnInfo[] = names.map((n) => ({ name: `params_${n}`, type: paramType(space[n]!) }));
  const columns = [...trialColumns, ...paramColumns];
  const rows = trialRows(trials, direction).map((row, i) => [...row, ...names.map((n) => paramCell(space[n]!, trials[i]!.params[n]))]);
  const values = rows.map((r) => `(${r.map((v) => literal(v)).join(', ')})`).join(', ');
  const typed = columns.map((c, i) => `col${i}::${c.type} AS ${ident(c.name)}`).join(', ');
  const table = await materialize(`SELECT ${typed} FROM (VALUES ${values}) ORDER BY col0`);
  return { ...table, columns };
}

function paramType(d: Distribution): string {
  if (d.type === 'float') return 'DOUBLE';
  if (d.type === 'int') return 'BIGINT';
  if (d.choices.every((c) => typeof c === 'boolean')) return 'BOOLEAN';
  if (d.choices.every((c) => typeof c === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

function paramCell(d: Distribution, v: Primitive | undefined): Primitive {
  if (v === undefined || v === null) return null;
  return paramType(d) === 'VARCHAR' ? (typeof v === 'string' ? v : JSON.stringify(v)) : v;
}

export interface StudySummary {
  title: string;
  /** Settings that must match to resume (model, data, space, sampler, seed, …). */
  config: unknown;
  /** Extra key/value lines shown first (model, metric, …). */
  facts: [string, string][];
  trials: readonly FrozenTrial[];
  space: Record<string, Distribution>;
  direction: Direction;
  metric: string;
  stopped?: string;
  /** Only the Study and Trials sections (a checkpoint: all that resuming needs). */
  minimal?: boolean;
  /** Sections shown after the Study section (a leaderboard). */
  extra?: ReportSection[];
}

/**
 * The report: the study's settings and outcome, the trials, the optimization history (each
 * complete trial's value and the best so far) and parameter importance (η², see importance.ts).
 */
export function studyReport(s: StudySummary): ReportValue {
  const best = bestTrial(s.trials, s.direction);
  const count = (state: TrialState) => s.trials.filter((t) => t.state === state).length;
  const facts: [string, string][] = [
    ...s.facts,
    ['direction', s.direction],
    ['trials', `${s.trials.length} (${count('complete')} complete, ${count('pruned')} pruned${count('failed') ? `, ${count('failed')} failed` : ''})`],
    ...(s.stopped ? ([['stopped by', s.stopped]] as [string, string][]) : []),
    ...(best
      ? ([
          ['best trial', String(best.number)],
          ['best value', String(best.value)],
          ['best params', canonicalJson(best.params)],
        ] as [string, string][])
      : []),
    ['config', canonicalJson(s.config)],
  ];
  const rows = trialRows(s.trials, s.direction);
  const history = s.trials.filter((t) => t.state === 'complete').map((t) => ({ x: t.number, y: t.value! }));
  const bestLine = rows.filter((r) => r[3] !== null).map((r) => ({ x: r[0] as number, y: r[3] as number }));
  const sections: ReportSection[] = [
    { kind: 'table', title: STUDY_SECTION, columns: [{ name: 'key', type: 'VARCHAR' }, { name: 'value', type: 'VARCHAR' }], rows: facts },
    ...(s.minimal ? [] : (s.extra ?? [])),
    { kind: 'table', title: TRIALS_SECTION, columns: trialColumns, rows },
  ];
  if (s.minimal) return { type: 'report', title: s.title, sections };
  const importance = paramImportance(s.trials, s.space);
  sections.push(
    {
      kind: 'plot',
      title: 'Optimization history',
      plot: {
        type: 'line',
        x: 'trial',
        y: s.metric,
        series: [
          { name: s.metric, points: history, dots: true },
          { name: 'best so far', points: bestLine },
        ],
      },
    },
  );
  if (importance.length) {
    sections.push(
      { kind: 'table', title: 'Parameter importance (η²)', columns: [{ name: 'param', type: 'VARCHAR' }, { name: 'importance', type: 'DOUBLE' }], rows: importance.map((i) => [i.param, i.importance]) },
      { kind: 'plot', title: 'Parameter importance (η²)', plot: { type: 'bar', column: 'importance', bars: importance.map((i) => ({ label: i.param, count: i.importance })) } },
    );
  }
  return { type: 'report', title: s.title, sections };
}
