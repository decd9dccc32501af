import { useState } from 'react';
import type { ColumnInfo } from '../../engine/index.ts';
import { CodeField } from './CodeField.tsx';
import { emptyValue, pathKey, setIn, type FieldSchema, type Path } from './json-schema.ts';

export interface FormContext {
  /** Columns of each input port, from binding the pipeline. */
  inputs: Record<string, ColumnInfo[]>;
  /** Validation messages by param path (`aggregates[0].fn`). */
  issues: Record<string, string[]>;
  /** Picks a local file for a `file` param and returns the path to store. */
  pickFile?: (extensions: string[]) => Promise<string | null>;
}

/** A form generated from a kind's param schema (zod → JSON Schema); edits whole param objects. */
export function SchemaForm({ schema, value, onChange, ctx }: { schema: FieldSchema; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; ctx: FormContext }) {
  return (
    <ObjectFields
      schema={schema}
      value={value}
      path={[]}
      ctx={ctx}
      onChange={(path, v) => onChange(setIn(value, path, v) as Record<string, unknown>)}
    />
  );
}

type Change = (path: Path, value: unknown) => void;

function ObjectFields({ schema, value, path, ctx, onChange }: { schema: FieldSchema; value: Record<string, unknown>; path: Path; ctx: FormContext; onChange: Change }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => (
        <Field key={name} name={name} schema={field} value={value?.[name]} path={[...path, name]} required={schema.required?.includes(name) ?? false} ctx={ctx} onChange={onChange} />
      ))}
    </>
  );
}

function Field(props: { name: string; schema: FieldSchema; value: unknown; path: Path; required: boolean; ctx: FormContext; onChange: Change }) {
  const { name, schema, path, ctx } = props;
  const issues = ctx.issues[pathKey(path)] ?? [];
  const id = `param-${pathKey(path)}`;
  return (
    <div className="field" data-param={pathKey(path)}>
      <label htmlFor={id}>
        {name}
        {props.required && schema.default === undefined ? ' *' : ''}
      </label>
      <Input {...props} id={id} />
      {schema.description && <div className="help">{schema.description}</div>}
      {issues.map((m) => (
        <div className="issue" key={m}>
          {m}
        </div>
      ))}
    </div>
  );
}

function allColumns(ctx: FormContext): string[] {
  return [...new Set(Object.values(ctx.inputs).flatMap((cs) => cs.map((c) => c.name)))];
}

function Input({ id, name, schema, value, path, ctx, onChange: change }: { id: string; name: string; schema: FieldSchema; value: unknown; path: Path; required: boolean; ctx: FormContext; onChange: Change }) {
  const shown = value ?? schema.default;
  // A list or group that shows its default is not in the params yet: an edit inside it writes
  // the whole default with the edit, not the edited item alone beside holes.
  const onChange: Change = (at, v) => (value === undefined && shown !== undefined && at.length > path.length ? change(path, setIn(shown, at.slice(path.length), v)) : change(at, v));
  const columns = ctx.inputs[name]?.map((c) => c.name) ?? allColumns(ctx);
  if (schema.widget === 'sql-expression' || schema.widget === 'sql') {
    return <CodeField label={name} value={String(shown ?? '')} columns={columns} onChange={(v) => onChange(path, v === '' ? undefined : v)} />;
  }
  if (schema.widget === 'column') return <ColumnInput id={id} value={shown} columns={columns} onChange={(v) => onChange(path, v)} />;
  if (schema.widget === 'columns' || (schema.type === 'array' && schema.items?.type === 'string' && !schema.items.enum)) {
    return <ColumnList id={id} value={Array.isArray(shown) ? (shown as string[]) : []} columns={columns} onChange={(v) => onChange(path, v)} />;
  }
  if (schema.widget === 'file') {
    return (
      <div className="row" style={{ display: 'flex', gap: 4 }}>
        <input id={id} type="text" value={String(shown ?? '')} onChange={(e) => onChange(path, e.target.value || undefined)} />
        {ctx.pickFile && (
          <button
            type="button"
            onClick={async () => {
              const picked = await ctx.pickFile!(schema.extensions ?? []);
              if (picked) onChange(path, picked);
            }}
          >
            Choose…
          </button>
        )}
      </div>
    );
  }
  if (schema.enum) {
    return (
      <select id={id} value={shown === undefined ? '' : String(shown)} onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)}>
        {shown === undefined && <option value="">—</option>}
        {schema.enum.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  }
  if (schema.type === 'boolean') return <input id={id} type="checkbox" checked={Boolean(shown)} onChange={(e) => onChange(path, e.target.checked)} />;
  if (schema.type === 'number' || schema.type === 'integer') {
    return <NumberInput id={id} value={shown as number | undefined} integer={schema.type === 'integer'} onChange={(v) => onChange(path, v)} />;
  }
  if (schema.anyOf) return <Union id={id} name={name} schema={schema} value={shown} path={path} ctx={ctx} onChange={onChange} />;
  if (schema.type === 'array' && schema.prefixItems) {
    const items = (Array.isArray(shown) ? shown : []) as string[];
    return (
      <div className="group row" style={{ display: 'flex', gap: 4 }}>
        {schema.prefixItems.map((_, i) => (
          <input key={i} type="text" aria-label={`${name} ${i + 1}`} value={items[i] ?? ''} onChange={(e) => onChange([...path, i], e.target.value)} />
        ))}
      </div>
    );
  }
  if (schema.type === 'array' && schema.items) return <ObjectList schema={schema.items} value={(shown as unknown[]) ?? []} path={path} ctx={ctx} onChange={onChange} name={name} />;
  if (schema.type === 'object' && schema.properties) {
    return (
      <div className="group">
        <ObjectFields schema={schema} value={(shown as Record<string, unknown>) ?? {}} path={path} ctx={ctx} onChange={onChange} />
      </div>
    );
  }
  if (schema.type === 'object') return <RecordInput value={(shown as Record<string, string>) ?? {}} onChange={(v) => onChange(path, Object.keys(v).length ? v : undefined)} />;
  return <input id={id} type="text" value={String(shown ?? '')} onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)} />;
}

function NumberInput({ id, value, integer, onChange }: { id: string; value: number | undefined; integer: boolean; onChange: (v: number | undefined) => void }) {
  const [text, setText] = useState<string | null>(null);
  return (
    <input
      id={id}
      type="number"
      step={integer ? 1 : 'any'}
      value={text ?? (value === undefined ? '' : String(value))}
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value === '') onChange(undefined);
        else if (Number.isFinite(n)) onChange(n);
      }}
      onBlur={() => setText(null)}
    />
  );
}

function ColumnInput({ id, value, columns, onChange }: { id: string; value: unknown; columns: string[]; onChange: (v: string | undefined) => void }) {
  const list = `${id}-columns`;
  return (
    <>
      <input id={id} type="text" list={list} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />
      <datalist id={list}>
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </>
  );
}

function ColumnList({ id, value, columns, onChange }: { id: string; value: string[]; columns: string[]; onChange: (v: string[]) => void }) {
  const [draft, setDraft] = useState('');
  const add = (c: string) => {
    if (c && !value.includes(c)) onChange([...value, c]);
    setDraft('');
  };
  const list = `${id}-columns`;
  return (
    <div>
      <div className="chips">
        {value.map((c) => (
          <span className="chip" key={c}>
            {c}
            <button type="button" aria-label={`remove ${c}`} onClick={() => onChange(value.filter((x) => x !== c))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <input
        id={id}
        type="text"
        list={list}
        placeholder="add a column…"
        value={draft}
        onChange={(e) => {
          const v = e.target.value;
          if (columns.includes(v)) add(v);
          else setDraft(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') add(draft.trim());
        }}
      />
      <datalist id={list}>
        {columns.filter((c) => !value.includes(c)).map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </div>
  );
}

function ObjectList({ name, schema, value, path, ctx, onChange }: { name: string; schema: FieldSchema; value: unknown[]; path: Path; ctx: FormContext; onChange: Change }) {
  return (
    <div>
      {value.map((item, i) => (
        <div className="group" key={i}>
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <span className="muted">
              {name} #{i + 1}
            </span>
            <button type="button" aria-label={`remove ${name} ${i + 1}`} onClick={() => onChange(path, value.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
          {schema.type === 'object' ? (
            <ObjectFields schema={schema} value={(item as Record<string, unknown>) ?? {}} path={[...path, i]} ctx={ctx} onChange={onChange} />
          ) : (
            <Input id={`param-${pathKey([...path, i])}`} name={name} schema={schema} value={item} path={[...path, i]} required ctx={ctx} onChange={onChange} />
          )}
        </div>
      ))}
      <button type="button" onClick={() => onChange(path, [...value, emptyValue(schema)])}>
        + add {name.replace(/s$/, '')}
      </button>
    </div>
  );
}

/** `string | {left, right}` (join keys): one name for both sides, or a name per side. */
function Union({ id, name, schema, value, path, ctx, onChange }: { id: string; name: string; schema: FieldSchema; value: unknown; path: Path; ctx: FormContext; onChange: Change }) {
  const objectOption = schema.anyOf!.find((s) => s.type === 'object');
  const isObject = typeof value === 'object' && value !== null;
  return (
    <div className="group">
      <label className="muted">
        <input
          type="checkbox"
          checked={isObject}
          onChange={(e) => onChange(path, e.target.checked ? { left: String(value ?? ''), right: String(value ?? '') } : String((value as { left?: string })?.left ?? ''))}
        />{' '}
        different names on each side
      </label>
      {isObject && objectOption ? (
        <ObjectFields schema={objectOption} value={value as Record<string, unknown>} path={path} ctx={ctx} onChange={onChange} />
      ) : (
        <ColumnInput id={id} value={value} columns={ctx.inputs[name]?.map((c) => c.name) ?? allColumns(ctx)} onChange={(v) => onChange(path, v ?? '')} />
      )}
    </div>
  );
}

function RecordInput({ value, onChange }: { value: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const entries = Object.entries(value);
  return (
    <div className="group">
      {entries.map(([k, v], i) => (
        <div className="row" key={i} style={{ display: 'flex', gap: 4, marginBottom: 3 }}>
          <input type="text" aria-label="name" value={k} onChange={(e) => onChange(Object.fromEntries(entries.map(([kk, vv], j) => (j === i ? [e.target.value, vv] : [kk, vv]))))} />
          <span>→</span>
          <input type="text" aria-label="value" value={v} onChange={(e) => onChange({ ...value, [k]: e.target.value })} />
          <button type="button" onClick={() => onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange({ ...value, '': '' })}>
        + add
      </button>
    </div>
  );
}
