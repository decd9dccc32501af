import type { ColumnInfo } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { ident, literal } from '../sql/quote.ts';
import { compareLabels, type Label, labelText } from './labels.ts';

/** At most this many categories per column: more is almost always an id or a free-text column. */
export const MAX_CATEGORIES = 1000;

export interface OneHotState {
  dropFirst: boolean;
  columns: {
    name: string;
    type: string;
    /** Sorted as scikit-learn sorts them; `null` (a missing value seen in training) comes last. */
    categories: (Label | null)[];
    /** Output column per category (null: the dropped first category). */
    outputs: (string | null)[];
  }[];
}

/** The text scikit-learn puts after `<column>_` for a category (`str()` of it; `nan` for missing). */
export function categoryText(value: Label | null, type: string): string {
  return value === null ? 'nan' : labelText(value, type);
}

/**
 * Fitted as scikit-learn's OneHotEncoder(handle_unknown='ignore'): categories are each column's
 * distinct values, sorted (numbers numerically, text by code point, false before true), a
 * missing value a category of its own after the others; output columns are named
 * `<column>_<category>`, as `get_feature_names_out`. With `dropFirst` the first category of each
 * column has no output column (drop='first').
 */
export function fitOneHot(columns: ColumnInfo[], distinct: (Label | null)[][], dropFirst: boolean, existing: ColumnInfo[], node: string): OneHotState {
  const encoded = new Set(columns.map((c) => c.name.toLowerCase()));
  const taken = new Map(existing.filter((c) => !encoded.has(c.name.toLowerCase())).map((c) => [c.name.toLowerCase(), c.name]));
  const state: OneHotState = { dropFirst, columns: [] };
  columns.forEach((col, j) => {
    const values = distinct[j]!;
    if (values.length > MAX_CATEGORIES) {
      throw new PipelineError({ code: 'data', node, param: 'columns', message: `column "${col.name}" has ${values.length} distinct values (more than ${MAX_CATEGORIES}): it does not look categorical` });
    }
    const known = values.filter((v): v is Label => v !== null).sort(compareLabels);
    const categories: (Label | null)[] = values.includes(null) ? [...known, null] : known;
    const outputs = categories.map((c, i) => (dropFirst && i === 0 ? null : `${col.name}_${categoryText(c, col.type)}`));
    for (const name of outputs) {
      if (name === null) continue;
      const clash = taken.get(name.toLowerCase());
      if (clash !== undefined) {
        throw new PipelineError({ code: 'data', node, param: 'columns', message: `the encoded column "${name}" would clash with ${encoded.has(clash.toLowerCase()) ? 'another encoded column' : 'an input column'} "${clash}": rename one first` });
      }
      taken.set(name.toLowerCase(), name);
    }
    state.columns.push({ name: col.name, type: col.type, categories, outputs });
  });
  return state;
}

/**
 * The input with each encoded column replaced, where it stood, by its indicator columns (DOUBLE
 * 0/1, as scikit-learn's float64 output). A value not seen in training (or NULL, if no NULL was
 * seen) sets none of its column's indicators: an all-zero row, as handle_unknown='ignore'.
 */
export function oneHotSql(state: OneHotState, input: string, columns: ColumnInfo[]): string {
  const byName = new Map(state.columns.map((c) => [c.name.toLowerCase(), c]));
  const items = columns.flatMap((c) => {
    const enc = byName.get(c.name.toLowerCase());
    if (!enc) return [ident(c.name)];
    return enc.categories.flatMap((value, i) => {
      const out = enc.outputs[i];
      if (!out) return [];
      const test = value === null ? `${ident(c.name)} IS NULL` : `${ident(c.name)} IS NOT DISTINCT FROM ${literal(value)}`;
      return [`CASE WHEN ${test} THEN 1.0 ELSE 0.0 END::DOUBLE AS ${ident(out)}`];
    });
  });
  return `SELECT ${items.join(', ')} FROM ${input}`;
}

