import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../engine/index.ts';
import { emptyValue, pathKey, setIn, type FieldSchema } from '../../renderer/form/json-schema.ts';

/** The JSON Schema the inspector builds its form from. */
const schemaOf = (kind: string) => z.toJSONSchema(catalog.get(kind)!.params, { io: 'input', unrepresentable: 'any' }) as FieldSchema;

describe('setIn', () => {
  it('sets a nested value without touching the input', () => {
    const params = { aggregates: [{ fn: 'count' }, { fn: 'sum', column: 'x' }], groupBy: ['k'] };
    const frozen = structuredClone(params);
    const next = setIn(params, ['aggregates', 1, 'column'], 'y');
    expect(next).toEqual({ aggregates: [{ fn: 'count' }, { fn: 'sum', column: 'y' }], groupBy: ['k'] });
    expect(params).toEqual(frozen);
    expect((next as typeof params).groupBy).toBe(params.groupBy); // untouched branches are shared
  });

  it('removes a key set to undefined, so an emptied optional param leaves the file', () => {
    expect(setIn({ where: 'x', other: 1 }, ['where'], undefined)).toEqual({ other: 1 });
    expect(Object.keys(setIn({ where: 'x' }, ['where'], undefined) as object)).toEqual([]);
    const next = setIn({ aggregates: [{ fn: 'sum', column: 'x', as: 'total' }] }, ['aggregates', 0, 'as'], undefined);
    expect(next).toEqual({ aggregates: [{ fn: 'sum', column: 'x' }] });
    expect(JSON.stringify(next)).toBe('{"aggregates":[{"fn":"sum","column":"x"}]}');
  });

  it('creates the containers a path needs', () => {
    expect(setIn(undefined, ['types', 'zip'], 'VARCHAR')).toEqual({ types: { zip: 'VARCHAR' } });
    expect(setIn({}, ['keys', 0], 'a')).toEqual({ keys: ['a'] });
    expect(setIn({ a: 1 }, [], { b: 2 })).toEqual({ b: 2 });
  });
});

describe('emptyValue', () => {
  it('fills a new aggregate with its required fields only', () => {
    const item = schemaOf('transform.aggregate').properties!.aggregates!.items!;
    expect(emptyValue(item)).toEqual({ fn: 'count' });
  });

  it('gives a new derived column blank required texts', () => {
    expect(emptyValue(schemaOf('transform.derive').properties!.columns!.items!)).toEqual({ name: '', expr: '' });
  });

  it('gives a new sort key its column and leaves defaulted flags out', () => {
    expect(emptyValue(schemaOf('transform.sort').properties!.by!.items!)).toEqual({ column: '' });
  });

  it('takes a union’s first option (a join key as one name)', () => {
    expect(emptyValue(schemaOf('transform.join').properties!.on!.items!)).toBe('');
  });

  it('uses defaults, then a blank of the type', () => {
    expect(emptyValue({ type: 'number', default: 0.25 })).toBe(0.25);
    expect(emptyValue({ type: 'integer' })).toBe(0);
    expect(emptyValue({ type: 'boolean' })).toBe(false);
    expect(emptyValue({ type: 'array' })).toEqual([]);
    expect(emptyValue({ type: 'string', enum: ['inner', 'left'] })).toBe('inner');
    expect(emptyValue({ type: 'string' })).toBe('');
  });

  it('yields a value the kind accepts once the blanks are filled', () => {
    const item = emptyValue(schemaOf('transform.derive').properties!.columns!.items!) as Record<string, string>;
    const filled = { columns: [{ ...item, name: 'n', expr: '1' }] };
    expect(catalog.get('transform.derive')!.params.safeParse(filled).success).toBe(true);
  });
});

describe('pathKey', () => {
  it('names param paths as validation messages do', () => {
    expect(pathKey(['aggregates', 0, 'fn'])).toBe('aggregates[0].fn');
    expect(pathKey(['where'])).toBe('where');
    expect(pathKey([])).toBe('');
  });
});
