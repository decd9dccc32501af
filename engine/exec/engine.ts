import type { FileRef, PortValue, RunContext, SqlContext } from '../catalog/define-node.ts';
import { isRunNode } from '../catalog/define-node.ts';
import type { ColumnInfo, Database, HostFiles, OutputFormat, ResolvedFile, WriteOptions } from '../db/database.ts';
import { describe, readRows } from '../db/read-rows.ts';
import { abortError, isAbortError, PipelineError, toProblems, type Problem } from '../errors.ts';
import { ident, literal } from '../sql/quote.ts';
import { closest } from '../text/closest.ts';
import type { ResolvedNode, ResolvedPipeline } from '../validate/validate.ts';
import { cleanDuckDbMessage } from './duckdb-message.ts';
import { canonicalJson, changeReason, fingerprintKey, type Fingerprint } from './fingerprint.ts';
import { neededNodes, planMaterialized } from './plan.ts';
import type { NodeRecord, ProgressEvent, RunRecord } from './run-record.ts';
import type { Checkpoint, OutputStore, StoredEntry } from './output-store.ts';

export interface EngineOptions {
  db: Database;
  files: HostFiles;
  /** Keeps outputs across processes (the CLI's `.kanvas/cache`); memory only without it. */
  store?: OutputStore;
  /** Cached outputs kept beyond those of the latest run (least recently used go first). */
  keepOutputs?: number;
}

export interface RunOptions {
  /** Folder that relative paths in the document resolve against (the pipeline file's folder). */
  baseDir: string;
  /** Folder sinks write into (relative sink paths); defaults to `baseDir`. */
  outDir?: string;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Run only these nodes and what they need ("run to here"). */
  targets?: string[];
  /** Store these nodes' outputs even inside a fused chain (previews, `--emit-all`). */
  materialize?: string[] | 'all';
  /** False to ignore cached outputs and run everything. */
  useCache?: boolean;
  /**
   * Also count the rows of nodes that ran fused inside another node's query, so every node has
   * its row count (the editor shows them). It costs one more statement over the fused chains,
   * which reads their input again: on the ETL bench it doubled a cold run, so it is off unless
   * asked for.
   */
  countFused?: boolean;
}

interface CacheEntry {
  outputs: Record<string, PortValue>;
  /** Files a sink wrote, with size and mtime, to tell whether they are still as written. */
  files: { path: string; size: number; mtimeMs: number; rows: number }[];
  tables: string[];
  lastUsed: number;
}

/** What an engine keeps between runs; each run reads and updates it. */
interface EngineMemory {
  /** Fingerprint key → a computed output. */
  cache: Map<string, CacheEntry>;
  /** Node id → the fingerprint of its latest run. */
  fingerprints: Map<string, Fingerprint>;
  /** Node id → outputs saved by `ctx.checkpoint` in a run that did not complete. */
  checkpoints: Map<string, Checkpoint>;
  /** Fingerprint key of a fused node → its outputs' row counts, for when its chain is cached. */
  fusedOutputs: Map<string, NonNullable<NodeRecord['outputs']>>;
  /** `<fingerprint key>:<port>` → the columns binding gave; an equal key binds to equal columns. */
  columns: Map<string, ColumnInfo[]>;
}

/** One query of a fused chain, named after the node it computes. */
interface Cte {
  name: string;
  sql: string;
  node: string;
}

/** A node output as a SQL relation: CTEs of the fused chain that computes it, and its name. */
interface Relation {
  ctes: Cte[];
  ref: string;
  columns: ColumnInfo[];
}

/** Thrown inside a run to stop one node: carries the problems and which node they belong to. */
class NodeFailure extends Error {
  constructor(
    readonly node: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/**
 * Runs pipelines over one DuckDB database and keeps node outputs between runs, keyed by
 * fingerprint: a run with nothing changed does no work, and a changed param re-runs only what
 * is downstream of it. One engine per open document (the editor) or per CLI invocation.
 */
export class Engine {
  private readonly memory: EngineMemory = { cache: new Map(), fingerprints: new Map(), checkpoints: new Map(), fusedOutputs: new Map(), columns: new Map() };
  private runCounter = 0;
  private tableCounter = 0;
  private running = false;
  private storeRead = false;

  constructor(private readonly o: EngineOptions) {}

  get db(): Database {
    return this.o.db;
  }

  async run(pipeline: ResolvedPipeline, options: RunOptions): Promise<RunRecord> {
    return this.start(pipeline, options, 'run');
  }

  /**
   * Binds every SQL node's query against the real inputs (files, columns, types) without
   * reading data or running models, analyses and sinks: what `kanvas validate` reports.
   */
  async check(pipeline: ResolvedPipeline, options: Pick<RunOptions, 'baseDir' | 'outDir' | 'signal'>): Promise<RunRecord> {
    return this.start(pipeline, { ...options, useCache: false }, 'check');
  }

  private async start(pipeline: ResolvedPipeline, options: RunOptions, mode: 'run' | 'check'): Promise<RunRecord> {
    if (this.running) throw new Error('this engine is already running a pipeline');
    this.running = true;
    try {
      await this.readStore();
      const run = new Run(this.o, this.memory, ++this.runCounter, () => this.tableCounter++, pipeline, options, mode);
      return await run.execute();
    } finally {
      this.running = false;
      await this.evict();
    }
  }

  /**
   * The models and reports the latest run of each node made, for the nodes whose result is still
   * current for `pipeline`: same kind, version and params, inputs from current nodes, and the
   * files it read unchanged on disk. Code export writes them in (a tuner's best params, a fitted
   * model); tables are left out (they live in the database).
   */
  async runResults(pipeline: ResolvedPipeline): Promise<Record<string, Record<string, PortValue>>> {
    await this.readStore();
    const memo = new Map<string, Promise<boolean>>();
    const current = (id: string): Promise<boolean> => {
      let known = memo.get(id);
      if (!known) memo.set(id, (known = this.isCurrent(pipeline, id, current)));
      return known;
    };
    const results: Record<string, Record<string, PortValue>> = {};
    for (const id of pipeline.nodes.keys()) {
      if (!(await current(id))) continue;
      const key = fingerprintKey(this.memory.fingerprints.get(id)!);
      const outputs = this.memory.cache.get(key)?.outputs ?? (await this.o.store?.get(key))?.outputs ?? {};
      const kept: Record<string, PortValue> = {};
      for (const [port, value] of Object.entries(outputs)) if (value.type !== 'table') kept[port] = value;
      if (Object.keys(kept).length) results[id] = kept;
    }
    return results;
  }

  private async isCurrent(p: ResolvedPipeline, id: string, current: (id: string) => Promise<boolean>): Promise<boolean> {
    const fp = this.memory.fingerprints.get(id);
    const node = p.nodes.get(id);
    if (!fp || !node || fp.kind !== node.def.kind || fp.version !== node.def.version) return false;
    if (canonicalJson(paramPrints(node)) !== canonicalJson(fp.params)) return false;
    if (Object.keys(fp.inputs).length !== node.inputs.size) return false;
    for (const [port, edge] of node.inputs) {
      const was = fp.inputs[port];
      const upstream = this.memory.fingerprints.get(edge.from);
      if (!was || was.node !== edge.from || !upstream || was.key !== `${fingerprintKey(upstream)}:${edge.fromPort}`) return false;
      if (!(await current(edge.from))) return false;
    }
    for (const [file, read] of Object.entries(fp.files)) {
      if (read === 'written') continue;
      const stat = await this.o.files.stat(file);
      if (!stat || `${stat.size}:${stat.mtimeMs}` !== read) return false;
    }
    return true;
  }

  /**
   * Fingerprints and checkpoints of the runs another process stored (the CLI's disk cache), read
   * once: a study cancelled by one `kanvas run` resumes in the next.
   */
  private async readStore(): Promise<void> {
    if (!this.o.store || this.storeRead) return;
    for (const [id, fp] of Object.entries(await this.o.store.fingerprints())) if (!this.memory.fingerprints.has(id)) this.memory.fingerprints.set(id, fp);
    for (const [id, cp] of Object.entries(await this.o.store.checkpoints())) if (!this.memory.checkpoints.has(id)) this.memory.checkpoints.set(id, cp);
    this.storeRead = true;
  }

  /** The stored output of a node from the latest run that materialized it. */
  output(pipeline: ResolvedPipeline, node: string, port: string): PortValue | undefined {
    const fp = this.memory.fingerprints.get(node);
    if (!fp || !pipeline.nodes.has(node)) return undefined;
    return this.memory.cache.get(fingerprintKey(fp))?.outputs[port];
  }

  async close(): Promise<void> {
    await this.o.db.close();
  }

  private async evict(): Promise<void> {
    const keep = this.o.keepOutputs ?? 64;
    const old = [...this.memory.cache.entries()].filter(([, e]) => e.lastUsed < this.runCounter).sort(([, a], [, b]) => b.lastUsed - a.lastUsed);
    for (const [key, entry] of old.slice(keep)) {
      this.memory.cache.delete(key);
      for (const t of entry.tables) await this.o.db.exec(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    }
    // The memos of counts and columns are small; they are bounded, the oldest going first.
    for (const memo of [this.memory.fusedOutputs, this.memory.columns]) {
      for (const key of [...memo.keys()].slice(0, Math.max(0, memo.size - 4096))) memo.delete(key);
    }
  }
}

/** One execution of a pipeline: the state that lives for a single `Engine.run`. */
class Run {
  private readonly record: RunRecord;
  private readonly keys = new Map<string, string>();
  private readonly prints = new Map<string, Fingerprint>();
  private readonly relations = new Map<string, Relation>();
  private readonly values = new Map<string, Record<string, PortValue>>();
  private readonly fusedBy = new Map<string, string>();
  /** Fused nodes seen so far; their status is settled after their consumer ran. */
  private readonly pendingFused: string[] = [];
  private readonly needed: string[];
  private readonly materialized: Set<string>;
  private readonly started = Date.now();
  private nodesDone = 0;
  /** Empty tables made by a check, dropped when it ends. */
  private readonly checkTables: string[] = [];

  constructor(
    private readonly o: EngineOptions,
    private readonly memory: EngineMemory,
    private readonly runNumber: number,
    private readonly nextTable: () => number,
    private readonly p: ResolvedPipeline,
    private readonly opts: RunOptions,
    private readonly mode: 'run' | 'check',
  ) {
    this.needed = neededNodes(p, opts.targets);
    // A check binds each SQL node on its own, including those a skipped sink would have fused.
    this.materialized = planMaterialized(p, new Set(this.needed), mode === 'check' ? 'all' : opts.materialize);
    this.record = {
      format: 'kanvas.run',
      version: 1,
      pipeline: p.doc.name,
      engine: o.db.engine,
      duckdb: o.db.version,
      startedAt: new Date(this.started).toISOString(),
      durationMs: 0,
      status: 'ok',
      nodes: {},
      problems: [],
    };
  }

  private get db(): Database {
    return this.o.db;
  }

  async execute(): Promise<RunRecord> {
    const signal = this.opts.signal;
    const onAbort = () => this.db.interrupt();
    signal?.addEventListener('abort', onAbort);
    try {
      let yielded = Date.now();
      for (const id of this.needed) {
        if (Date.now() - yielded >= 10) {
          await yieldToEventLoop();
          yielded = Date.now();
        }
        const node = this.p.nodes.get(id)!;
        const failedInput = [...node.inputs.values()].find((e) => this.isBlocked(e.from));
        if (signal?.aborted) this.finish(id, { kind: node.def.kind, status: 'cancelled', durationMs: 0, cache: { hit: false, reason: 'run cancelled' } }, 'cancelled');
        else if (failedInput) this.finish(id, { kind: node.def.kind, status: 'skipped', durationMs: 0, cache: { hit: false, reason: `upstream "${failedInput.from}" did not complete` } }, 'skipped');
        else await this.step(node);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    await this.settleFused();
    if (this.mode === 'run') {
      for (const [id, fp] of this.prints) this.memory.fingerprints.set(id, fp);
      const used = [...this.keys.values()].filter((k) => this.memory.cache.has(k));
      await this.o.store?.commit(Object.fromEntries(this.memory.fingerprints), used, Object.fromEntries(this.memory.checkpoints));
    }
    for (const t of this.checkTables) await this.db.exec(`DROP TABLE IF EXISTS ${t}`);
    this.record.durationMs = Date.now() - this.started;
    const statuses = Object.values(this.record.nodes).map((n) => n.status);
    this.record.status = statuses.includes('cancelled') ? 'cancelled' : statuses.includes('error') ? 'error' : 'ok';
    return this.record;
  }

  private isBlocked(id: string): boolean {
    const status = this.record.nodes[id]?.status;
    return status === 'error' || status === 'skipped' || status === 'cancelled';
  }

  /** Fingerprint, then reuse the cached output or compute it; fused nodes wait for their consumer. */
  private async step(node: ResolvedNode): Promise<void> {
    const t0 = Date.now();
    const kind = node.def.kind;
    try {
      const fp = await this.fingerprint(node);
      const key = fingerprintKey(fp);
      this.keys.set(node.id, key);
      this.prints.set(node.id, fp);
      const reason = changeReason(fp, this.memory.fingerprints.get(node.id));
      const fused = !isRunNode(node.def) && !this.materialized.has(node.id);
      if (fused) {
        this.record.nodes[node.id] = { kind, status: 'done', durationMs: 0, cache: { hit: false, reason }, key };
        this.pendingFused.push(node.id);
        return;
      }
      if (this.mode === 'check') {
        if (isRunNode(node.def)) {
          this.finish(node.id, { kind, status: 'skipped', durationMs: 0, cache: { hit: false, reason: 'not checked: runs only in a full run' } }, 'skipped');
        } else {
          const produced = await this.materializeNode(node, key);
          this.checkTables.push(...produced.tables);
          this.values.set(node.id, produced.outputs);
          this.finish(node.id, { kind, status: 'done', durationMs: Date.now() - t0, cache: { hit: false, reason: 'checked' }, key, ...summaries(produced) }, 'done');
        }
        return;
      }
      const entry = this.opts.useCache === false ? undefined : await this.cached(key);
      if (entry) {
        entry.lastUsed = this.runNumber;
        this.values.set(node.id, entry.outputs);
        this.finish(node.id, { kind, status: 'cached', durationMs: Date.now() - t0, cache: { hit: true, reason: 'unchanged' }, key, ...summaries(entry) }, 'cached');
        return;
      }
      this.emit(node.id, 'start');
      const produced = isRunNode(node.def) ? await this.runNode(node, key) : await this.materializeNode(node, key);
      this.memory.checkpoints.delete(node.id);
      this.memory.cache.set(key, { ...produced, lastUsed: this.runNumber });
      this.values.set(node.id, produced.outputs);
      // The store is an optimization: if it cannot be written the run still succeeds.
      await this.persist(node.id, key, produced).catch(() => undefined);
      // Sampling memory costs a query: worth it only after work long enough to matter.
      const memoryBytes = Date.now() - t0 >= 50 ? await this.memoryInUse() : undefined;
      const reasonText = this.opts.useCache === false ? 'cache disabled for this run' : reason;
      this.finish(
        node.id,
        { kind, status: 'done', durationMs: Date.now() - t0, ...(memoryBytes ? { memoryBytes } : {}), cache: { hit: false, reason: reasonText }, key, ...summaries(produced) },
        'done',
      );
    } catch (err) {
      this.fail(node, err, t0);
    }
  }

  private fail(node: ResolvedNode, err: unknown, t0: number): void {
    const cancelled = this.opts.signal?.aborted || isAbortError(err) || /INTERRUPT/i.test(String((err as Error)?.message));
    if (cancelled) {
      this.finish(node.id, { kind: node.def.kind, status: 'cancelled', durationMs: Date.now() - t0, cache: { hit: false, reason: 'run cancelled' } }, 'cancelled');
      return;
    }
    const owner = err instanceof NodeFailure ? err.node : node.id;
    const problems = err instanceof NodeFailure ? err.problems : toProblems(err, { node: owner });
    for (const p of problems) this.record.problems.push({ ...p, node: p.node ?? owner });
    const first = { ...problems[0]!, node: problems[0]!.node ?? owner };
    const base = this.record.nodes[owner];
    this.finish(owner, { kind: this.p.nodes.get(owner)!.def.kind, status: 'error', durationMs: Date.now() - t0, cache: base?.cache ?? { hit: false, reason: 'failed' }, ...(base?.key ? { key: base.key } : {}), error: first }, 'error');
    if (owner !== node.id) {
      this.finish(node.id, { kind: node.def.kind, status: 'skipped', durationMs: 0, cache: { hit: false, reason: `upstream "${owner}" did not complete` } }, 'skipped');
    }
  }

  private finish(id: string, rec: NodeRecord, phase: ProgressEvent['phase']): void {
    this.record.nodes[id] = rec;
    this.nodesDone++;
    this.emit(id, phase);
  }

  private emit(node: string, phase: ProgressEvent['phase'], step?: ProgressEvent['step']): void {
    const finished = phase !== 'start' && phase !== 'step';
    const record = finished ? this.record.nodes[node] : undefined;
    this.opts.onProgress?.({ node, phase, ...(step ? { step } : {}), nodes: { done: this.nodesDone, total: this.needed.length }, ...(record ? { record } : {}) });
  }

  /**
   * Fused nodes take the status of the node whose query ran them (or that was cached), and
   * the row counts of their outputs: counted now, or remembered from the run that counted them.
   */
  private async settleFused(): Promise<void> {
    const settled = this.pendingFused.filter((id) => this.record.nodes[id]!.status === 'done');
    const counted: string[] = [];
    for (const id of settled) {
      const rec = this.record.nodes[id]!;
      let consumer = this.fusedBy.get(id) ?? this.finalConsumer(id);
      while (consumer && this.pendingFused.includes(consumer)) consumer = this.fusedBy.get(consumer) ?? this.finalConsumer(consumer);
      const consumerRec = consumer ? this.record.nodes[consumer] : undefined;
      if (consumer) rec.fusedInto = consumer;
      if (consumerRec?.status === 'cached') {
        rec.status = 'cached';
        rec.cache = { hit: true, reason: 'unchanged' };
        const outputs = rec.key ? this.memory.fusedOutputs.get(rec.key) : undefined;
        if (outputs) rec.outputs = outputs;
      } else if (consumerRec && consumerRec.status !== 'done') {
        rec.status = consumerRec.status === 'cancelled' ? 'cancelled' : 'skipped';
        rec.cache = { hit: false, reason: `not run: "${consumer}" did not complete` };
      } else if (this.mode === 'run') counted.push(id);
    }
    if (this.opts.countFused) await this.countFused(counted);
    for (const id of settled) {
      const rec = this.record.nodes[id]!;
      this.nodesDone++;
      this.emit(id, rec.status);
    }
  }

  /**
   * Counts the rows of fused nodes' outputs in one statement over their chains. The counts are
   * for display and `run.json`: if the statement fails or is cancelled the nodes have none.
   */
  private async countFused(ids: string[]): Promise<void> {
    const targets = ids.flatMap((id) =>
      Object.keys(this.p.nodes.get(id)!.def.outputs).flatMap((port) => {
        const rel = this.relations.get(`${id}\u0000${port}`);
        return rel ? [{ id, port, rel }] : [];
      }),
    );
    if (!targets.length || this.opts.signal?.aborted) return;
    const ctes = mergeCtes(targets.map((t) => t.rel.ctes));
    const counts = targets.map((t, i) => `(SELECT count(*) FROM ${t.rel.ref})::DOUBLE AS c${i}`).join(', ');
    const sql = `${withClause(ctes)}\nSELECT ${counts}`;
    const result = await this.db.query(sql).catch(() => null);
    const row = result?.rows[0];
    if (!row) return;
    targets.forEach(({ id, port, rel }, i) => {
      const rec = this.record.nodes[id]!;
      rec.outputs = { ...rec.outputs, [port]: { type: 'table', rows: Number(row[i]), columns: rel.columns } };
      if (rec.key) this.memory.fusedOutputs.set(rec.key, rec.outputs);
    });
  }

  /** The node whose query a fused node ends up in: follow single consumers to a stored output. */
  private finalConsumer(id: string): string | undefined {
    let current = id;
    for (;;) {
      const edges = [...this.p.nodes.get(current)!.outputs.values()].flat().filter((e) => this.needed.includes(e.to));
      if (edges.length !== 1) return undefined;
      const next = edges[0]!.to;
      if (isRunNode(this.p.nodes.get(next)!.def) || this.materialized.has(next)) return next;
      current = next;
    }
  }

  // ---- fingerprints and cache ------------------------------------------------------------

  private async fingerprint(node: ResolvedNode): Promise<Fingerprint> {
    const params = paramPrints(node);
    const inputs: Fingerprint['inputs'] = {};
    for (const [port, edge] of node.inputs) inputs[port] = { node: edge.from, key: `${this.keys.get(edge.from)}:${edge.fromPort}` };
    const files: Record<string, string> = {};
    if (!isRunNode(node.def) && node.def.file) {
      const file = this.resolveFile(node.id, node.def.file(node.params));
      const stat = await this.o.files.stat(file.path);
      if (!stat) throw new PipelineError({ code: 'file', node: node.id, param: 'path', file: file.path, message: 'file not found' });
      // A small file of blank lines is empty too (DuckDB would read it as one empty column).
      const blank = stat.size === 0 || (stat.size <= 4096 && !/\S/.test(new TextDecoder().decode(await this.o.files.readFile(file.path))));
      if (blank) throw new PipelineError({ code: 'data', node: node.id, param: 'path', file: file.path, message: stat.size ? 'the file is empty (only blank lines)' : 'the file is empty' });
      files[file.path] = `${stat.size}:${stat.mtimeMs}`;
    }
    if (isRunNode(node.def)) {
      for (const path of node.def.writes?.(node.params) ?? []) files[this.outputPath(path)] = 'written';
    }
    return { kind: node.def.kind, version: node.def.version, params, inputs, files };
  }

  private async cached(key: string): Promise<CacheEntry | undefined> {
    const entry = this.memory.cache.get(key) ?? (await this.fromStore(key));
    if (!entry) return undefined;
    for (const f of entry.files) {
      const stat = await this.o.files.stat(f.path);
      if (!stat || stat.size !== f.size || stat.mtimeMs !== f.mtimeMs) return undefined;
    }
    this.memory.cache.set(key, entry);
    return entry;
  }

  /** An output another process stored: its tables are read from their Parquet files. */
  private async fromStore(key: string): Promise<CacheEntry | undefined> {
    const stored = this.mode === 'run' ? await this.o.store?.get(key) : undefined;
    if (!stored) return undefined;
    const outputs: Record<string, PortValue> = {};
    const tables: string[] = [];
    for (const [port, o] of Object.entries(stored.outputs)) {
      if (o.type !== 'table') {
        outputs[port] = o;
        continue;
      }
      // Parquet has no HUGEINT (and a few other DuckDB types): cast back to the types the
      // output had, so a cached output is the same table a fresh run makes.
      const file = await this.db.fileRelation({ path: o.file, format: 'parquet' });
      const typed = o.columns.map((c) => `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`).join(', ');
      const table = ident(`kv_${key.slice(0, 16)}_${this.nextTable()}_${port}`);
      await this.db.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT ${typed} FROM ${file}`);
      tables.push(table);
      outputs[port] = { type: 'table', relation: table, columns: o.columns, rows: o.rows };
    }
    return { outputs, files: stored.files, tables, lastUsed: this.runNumber };
  }

  /** Saves a new output to the store (tables as Parquet, written atomically). */
  private async persist(node: string, key: string, produced: Omit<CacheEntry, 'lastUsed'>): Promise<void> {
    const store = this.o.store;
    if (!store || this.mode !== 'run' || this.opts.useCache === false) return;
    const outputs: StoredEntry['outputs'] = {};
    for (const [port, v] of Object.entries(produced.outputs)) {
      if (v.type !== 'table') {
        outputs[port] = v;
        continue;
      }
      const file = store.tablePath(key, port);
      await this.writeAtomic(node, `SELECT * FROM ${v.relation}`, file, 'parquet');
      outputs[port] = { type: 'table', file, columns: v.columns, rows: v.rows };
    }
    await store.put(key, { outputs, files: produced.files });
  }

  // ---- SQL kinds: composition into fused queries -----------------------------------------

  private async materializeNode(node: ResolvedNode, key: string): Promise<Omit<CacheEntry, 'lastUsed'>> {
    const queries = await this.nodeQueries(node);
    const outputs: Record<string, PortValue> = {};
    const tables: string[] = [];
    for (const [port, rel] of Object.entries(queries)) {
      const table = ident(`kv_${key.slice(0, 16)}_${this.nextTable()}_${port}`);
      // A check binds every query but reads no data: the tables it makes are empty.
      const limit = this.mode === 'check' ? ' LIMIT 0' : '';
      const rows = await this.locateFailure(rel, () => this.createTable(node.id, table, `${selectFrom(rel)}${limit}`));
      tables.push(table);
      outputs[port] = { type: 'table', relation: table, columns: rel.columns, rows };
    }
    return { outputs, files: [], tables };
  }

  /** A node's output as a relation: a stored table, or (fused) a CTE chain built now. */
  private async relation(id: string, port: string, consumer: string): Promise<Relation> {
    const value = this.values.get(id)?.[port];
    if (value) {
      if (value.type !== 'table') throw new Error(`output "${id}".${port} is not a table`);
      return { ctes: [], ref: value.relation, columns: value.columns };
    }
    const memo = this.relations.get(`${id}\u0000${port}`);
    if (memo) return memo;
    const node = this.p.nodes.get(id)!;
    const t0 = Date.now();
    const rel = (await this.nodeQueries(node))[port]!;
    this.relations.set(`${id}\u0000${port}`, rel);
    this.fusedBy.set(id, consumer);
    const rec = this.record.nodes[id];
    if (rec) rec.durationMs = Math.max(1, Date.now() - t0);
    return rel;
  }

  /** Builds (and binds, via DESCRIBE) the query of each of a SQL node's outputs. */
  private async nodeQueries(node: ResolvedNode): Promise<Record<string, Relation>> {
    const def = node.def;
    if (isRunNode(def)) throw new Error(`${def.kind} is not a SQL kind`);
    const inputs: Record<string, Relation> = {};
    for (const [port, edge] of node.inputs) inputs[port] = await this.relation(edge.from, edge.fromPort, node.id);
    this.checkColumnRefs(node, inputs);
    const ctes = mergeCtes(Object.values(inputs).map((r) => r.ctes));
    const refs = Object.fromEntries(Object.entries(inputs).map(([port, r]) => [port, r.ref]));
    const ctx: SqlContext = {
      node: node.id,
      file: def.file ? await this.fileRelation(node, def.file(node.params)) : '',
      columns: (port) => inputs[port]?.columns ?? [],
    };
    const built = def.sql ? def.sql(refs, node.params, ctx) : `SELECT * FROM ${ctx.file}`;
    const outPorts = Object.keys(def.outputs);
    const queries = typeof built === 'string' ? { [outPorts[0]!]: built } : built;
    const result: Record<string, Relation> = {};
    for (const [port, sql] of Object.entries(queries)) {
      const name = ident(outPorts.length > 1 ? `node:${node.id}:${port}` : `node:${node.id}`);
      const chain: Cte[] = [...ctes, { name, sql, node: node.id }];
      // Binding is most of a small run's cost: a node bound before under the same fingerprint
      // (kind, params, inputs, files) has the same columns.
      const key = this.keys.get(node.id);
      const memo = key ? `${key}:${port}` : undefined;
      let columns = memo ? this.memory.columns.get(memo) : undefined;
      if (!columns) {
        try {
          columns = await describe(this.db, selectFrom({ ctes: chain, ref: name, columns: [] }));
        } catch (err) {
          throw new NodeFailure(node.id, await this.diagnose(node, err, ctes, refs, ctx));
        }
        if (!isRunNode(def) && def.file) await this.checkSplitIntoColumns(node, columns);
        if (memo) this.memory.columns.set(memo, columns);
      }
      result[port] = { ctes: chain, ref: name, columns };
    }
    return result;
  }

  /**
   * DuckDB's sniffer may read a CSV whose rows have different numbers of fields as one column
   * named after the whole header line, without an error. Such a file is read again with the
   * delimiter the header shows, so the error names the line that does not fit.
   */
  private async checkSplitIntoColumns(node: ResolvedNode, columns: ColumnInfo[]): Promise<void> {
    if (columns.length !== 1) return;
    const delimiter = guessDelimiter(columns[0]!.name);
    if (!delimiter || !this.sniffedCsv(node)) return;
    const precise = await this.readWithDelimiter(node, delimiter);
    const file = this.resolveFile(node.id, this.sniffedCsv(node)!);
    throw new NodeFailure(node.id, [
      precise ?? { code: 'data', node: node.id, param: 'path', file: file.path, message: `the file was read as one column named ${JSON.stringify(columns[0]!.name)}: set "delimiter" to ${JSON.stringify(delimiter)} if that is its separator` },
    ]);
  }

  /** Columns named in params must exist in the input: say which param, with a suggestion. */
  private checkColumnRefs(node: ResolvedNode, inputs: Record<string, Relation>): void {
    const refs = node.def.columnRefs?.(node.params) ?? [];
    const problems: Problem[] = [];
    for (const ref of refs) {
      const names = inputs[ref.input]?.columns.map((c) => c.name) ?? [];
      if (names.some((n) => n.toLowerCase() === ref.column.toLowerCase())) continue;
      const hint = closest(ref.column, names);
      const side = Object.keys(node.def.inputs).length > 1 ? ` in input "${ref.input}"` : '';
      problems.push({
        code: 'param',
        node: node.id,
        param: ref.param,
        message: `column "${ref.column}" not found${side}${hint ? ` — did you mean "${hint}"?` : `; columns: ${names.join(', ')}`}`,
      });
    }
    if (problems.length) throw new NodeFailure(node.id, problems);
  }

  /** A bind error on a node: find which param's SQL fragment causes it, if the kind lists them. */
  private async diagnose(
    node: ResolvedNode,
    err: unknown,
    ctes: Cte[],
    refs: Record<string, string>,
    ctx: SqlContext,
  ): Promise<Problem[]> {
    const problem = this.problemAt(node.id, err);
    if (problem.code === 'data') return [await this.withCsvLine(node, problem)];
    for (const ref of node.def.exprRefs?.(node.params) ?? []) {
      const check = ident('__check');
      try {
        await describe(this.db, selectFrom({ ctes: [...ctes, { name: check, sql: ref.sql(refs, ctx), node: node.id }], ref: check, columns: [] }));
      } catch (e) {
        return [{ ...problem, param: ref.param, message: cleanDuckDbMessage(errorMessage(e)) }];
      }
    }
    const params = Object.keys(node.params);
    return [params.length === 1 ? { ...problem, param: params[0]! } : problem];
  }

  /** The file a CSV source reads when DuckDB detects its delimiter (no `delimiter` param). */
  private sniffedCsv(node: ResolvedNode): FileRef | null {
    const def = node.def;
    if (isRunNode(def) || !def.file) return null;
    const ref = def.file(node.params);
    return 'sample' in ref || ref.format !== 'csv' || ref.csv?.delimiter !== undefined || ref.csv?.header === false ? null : ref;
  }

  /**
   * Reads a sniffed CSV as text columns named by its header, with no detection at all: DuckDB's
   * error then names the line whose field count does not fit, if there is one.
   */
  private async readWithDelimiter(node: ResolvedNode, delimiter: string): Promise<Problem | null> {
    const ref = this.sniffedCsv(node);
    if (!ref) return null;
    const file = this.resolveFile(node.id, ref);
    const bytes = await this.o.files.readFile(file.path).catch(() => null);
    if (!bytes) return null;
    const header = new TextDecoder().decode(bytes.subarray(0, 65536)).split(/\r?\n/)[0]!;
    const names = header.split(delimiter).map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
    const columns = `{${names.map((n, i) => `${literal(n || `column${i}`)}: 'VARCHAR'`).join(', ')}}`;
    await this.db.fileRelation({ ...file, csv: { ...file.csv, delimiter } }); // registers the file where the adapter must
    try {
      await this.db.query(`SELECT count(*) FROM read_csv(${literal(file.path)}, delim = ${literal(delimiter)}, header = true, auto_detect = false, columns = ${columns})`);
      return null;
    } catch (err) {
      const precise = this.problemAt(node.id, err);
      return /line \d+/i.test(precise.message) ? precise : null;
    }
  }

  /** When DuckDB's sniffer gives up on a CSV, the line that does not fit, read with the header's delimiter. */
  private async withCsvLine(node: ResolvedNode, problem: Problem): Promise<Problem> {
    const ref = this.sniffedCsv(node);
    if (!ref || /line \d+/i.test(problem.message)) return problem;
    const bytes = await this.o.files.readFile(this.resolveFile(node.id, ref).path).catch(() => null);
    const delimiter = bytes ? guessDelimiter(new TextDecoder().decode(bytes.subarray(0, 65536)).split('\n')[0]!) : null;
    return (delimiter && (await this.readWithDelimiter(node, delimiter))) || problem;
  }

  /** A DuckDB error at a node: about its file for a file source, about its SQL otherwise. */
  private problemAt(id: string, err: unknown): Problem {
    const message = cleanDuckDbMessage(errorMessage(err));
    const def = this.p.nodes.get(id)!.def;
    if (!isRunNode(def) && def.file) {
      const file = this.resolveFile(id, def.file(this.p.nodes.get(id)!.params));
      return { code: 'data', node: id, param: 'path', file: file.path, message };
    }
    return { code: 'sql', node: id, message };
  }

  private resolveFile(node: string, ref: FileRef): ResolvedFile {
    if ('sample' in ref) return { path: this.o.files.samplePath(ref.sample), format: 'csv' };
    if (ref.path.trim() === '') throw new PipelineError({ code: 'param', node, param: 'path', message: 'expected a file path' });
    return { ...ref, path: this.o.files.resolve(this.opts.baseDir, ref.path) };
  }

  private async fileRelation(node: ResolvedNode, ref: FileRef): Promise<string> {
    const file = this.resolveFile(node.id, ref);
    try {
      return await this.db.fileRelation(file);
    } catch (err) {
      if (err instanceof PipelineError) throw new NodeFailure(node.id, err.problems.map((p) => ({ ...p, node: node.id, param: 'path' })));
      throw new NodeFailure(node.id, [{ code: 'data', node: node.id, param: 'path', file: file.path, message: cleanDuckDbMessage(errorMessage(err)) }]);
    }
  }

  // ---- run kinds ----------------------------------------------------------------------

  private async runNode(node: ResolvedNode, key: string): Promise<Omit<CacheEntry, 'lastUsed'>> {
    const def = node.def;
    if (!isRunNode(def)) throw new Error(`${def.kind} is not a run kind`);
    const inputs: Record<string, PortValue> = {};
    const fusedInputs: Relation[] = [];
    for (const [port, edge] of node.inputs) {
      const stored = this.values.get(edge.from)?.[edge.fromPort];
      if (stored) inputs[port] = stored;
      else {
        // Only sinks take fused inputs: the query is copied straight into the file.
        const rel = await this.relation(edge.from, edge.fromPort, node.id);
        fusedInputs.push(rel);
        inputs[port] = { type: 'table', relation: `(${selectFrom(rel)})`, columns: rel.columns, rows: null };
      }
    }
    const tables: string[] = [];
    const files: CacheEntry['files'] = [];
    const signal = this.opts.signal ?? new AbortController().signal;
    const ctx: RunContext<string, Record<string, unknown>> = {
      node: node.id,
      params: node.params,
      inputs,
      table: (name) => {
        const v = inputs[name];
        if (v?.type !== 'table') throw new PipelineError({ code: 'port-type', node: node.id, port: name, message: 'expected a table input' });
        return v;
      },
      db: this.db,
      readRows: (sql, limit) => this.guard(node.id, () => readRows(this.db, sql, limit)),
      materialize: async (sql) => {
        const table = ident(`kv_${key.slice(0, 16)}_${this.nextTable()}`);
        const rows = await this.createTable(node.id, table, sql);
        tables.push(table);
        const columns = await describe(this.db, `SELECT * FROM ${table}`);
        return { type: 'table', relation: table, columns, rows };
      },
      writeFile: async (sql, path, format, options) => {
        const written = await this.writeAtomic(node.id, sql, this.outputPath(path), format, options);
        files.push(written);
        return written.rows;
      },
      progress: (done, total, message) => this.emit(node.id, 'step', { done, total, ...(message ? { message } : {}) }),
      signal,
      previous: (port) => this.previousOutput(node, port),
      checkpoint: (outputs) => {
        const fp = this.prints.get(node.id)!;
        this.memory.checkpoints.set(node.id, { kind: fp.kind, version: fp.version, inputs: canonicalJson(fp.inputs), outputs: { ...outputs } });
      },
    };
    if (signal.aborted) throw abortError();
    const outputs = await fusedInputs.reduce<() => Promise<Record<string, PortValue>>>(
      (run, rel) => () => this.locateFailure(rel, run),
      () => def.run(ctx),
    )();
    return { outputs, files, tables };
  }

  /**
   * `ctx.previous`: the node's checkpoint if it was saved over the same inputs, else the cached
   * output of the node's last run if that run had the same inputs (and kind and version).
   */
  private async previousOutput(node: ResolvedNode, port: string): Promise<PortValue | undefined> {
    if (this.opts.useCache === false) return undefined;
    const now = this.prints.get(node.id);
    if (!now) return undefined;
    const sameInputs = (o: { kind: string; version: number; inputs: string }) => o.kind === now.kind && o.version === now.version && o.inputs === canonicalJson(now.inputs);
    const saved = this.memory.checkpoints.get(node.id);
    if (saved && sameInputs(saved)) return saved.outputs[port];
    const before = this.memory.fingerprints.get(node.id);
    if (!before || !sameInputs({ ...before, inputs: canonicalJson(before.inputs) })) return undefined;
    return (await this.cached(fingerprintKey(before)))?.outputs[port];
  }

  private outputPath(path: string): string {
    return this.o.files.resolve(this.opts.outDir ?? this.opts.baseDir, path);
  }

  /** Temp file in the same folder, renamed over the target when complete; removed on failure. */
  private async writeAtomic(node: string, sql: string, path: string, format: OutputFormat, options?: WriteOptions) {
    const temp = `${path}.tmp-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    try {
      await this.o.files.makeParentDirs(path);
      const rows = await this.withProgress(node, () => this.guard(node, () => this.db.writeFile(sql, temp, format, options)));
      if (this.opts.signal?.aborted) throw abortError();
      await this.o.files.rename(temp, path);
      const stat = await this.o.files.stat(path);
      return { path, rows, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1 };
    } catch (err) {
      await this.o.files.remove(temp).catch(() => undefined);
      if (err instanceof NodeFailure || isAbortError(err)) throw err;
      throw new NodeFailure(node, [{ code: 'file', node, param: 'path', file: path, message: cleanDuckDbMessage(errorMessage(err)) }]);
    }
  }

  /**
   * A statement over a fused chain failed at run time (a bad cast, say): bind errors were
   * caught per node already, so find the first node of the chain whose query alone fails,
   * and give the error to it rather than to the node at the end of the chain.
   */
  private async locateFailure<T>(rel: Relation, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (!(err instanceof NodeFailure) || this.opts.signal?.aborted) throw err;
      for (const [i, cte] of rel.ctes.entries()) {
        // The failing node's own query is the one that failed; a sink's fused input is all upstream.
        if (cte.node === err.node) continue;
        const prefix = { ctes: rel.ctes.slice(0, i + 1), ref: cte.name, columns: [] };
        try {
          // `t IS NOT NULL` reads the whole row, so no column escapes evaluation.
          await this.db.query(`SELECT count(*) FROM (${selectFrom(prefix)}) AS t WHERE t IS NOT NULL`);
        } catch (e) {
          throw new NodeFailure(cte.node, [this.problemAt(cte.node, e)]);
        }
      }
      throw err;
    }
  }

  // ---- statements ------------------------------------------------------------------------

  /** Stores a query's result as a table; returns its row count (the statement reports it). */
  private async createTable(node: string, table: string, sql: string): Promise<number> {
    if (this.opts.signal?.aborted) throw abortError();
    const result = await this.withProgress(node, () => this.guard(node, () => this.db.query(`CREATE OR REPLACE TABLE ${table} AS ${sql}`)));
    return Number(result.rows[0]?.[0] ?? 0);
  }

  /** DuckDB errors during a node's statement become that node's problem, in one clean line. */
  private async guard<T>(node: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof NodeFailure || err instanceof PipelineError || isAbortError(err)) throw err;
      if (this.opts.signal?.aborted) throw abortError();
      throw new NodeFailure(node, [{ code: 'sql', node, message: cleanDuckDbMessage(errorMessage(err)) }]);
    }
  }

  /** Reports a long statement's progress (when the backend measures it) every quarter second. */
  private async withProgress<T>(node: string, f: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      const fraction = this.db.progress();
      if (fraction !== null) this.emit(node, 'step', { done: Math.round(fraction * 100), total: 100 });
    }, 250);
    try {
      return await f();
    } finally {
      clearInterval(timer);
    }
  }

  private async memoryInUse(): Promise<number | undefined> {
    if (this.db.engine !== 'native') return undefined;
    const r = await this.db.query('SELECT sum(memory_usage_bytes)::DOUBLE FROM duckdb_memory()').catch(() => null);
    const bytes = Number(r?.rows[0]?.[0] ?? 0);
    return bytes > 0 ? bytes : undefined;
  }
}

function summaries(entry: { outputs: Record<string, PortValue>; files: CacheEntry['files'] }): Partial<NodeRecord> {
  const outputs: NodeRecord['outputs'] = {};
  for (const [port, v] of Object.entries(entry.outputs)) {
    outputs[port] = v.type === 'table' ? { type: 'table', ...(v.rows !== null ? { rows: v.rows } : {}), columns: v.columns } : { type: v.type };
  }
  return {
    ...(Object.keys(outputs).length ? { outputs } : {}),
    ...(entry.files.length ? { files: entry.files.map((f) => ({ path: f.path, rows: f.rows })) } : {}),
  };
}

/** A fingerprint's params: each param's canonical JSON (defaults filled in by validation). */
function paramPrints(node: ResolvedNode): Record<string, string> {
  return Object.fromEntries(Object.entries(node.params).map(([k, v]) => [k, canonicalJson(v)]));
}

function mergeCtes(lists: Cte[][]): Cte[] {
  const seen = new Set<string>();
  return lists.flat().filter((cte) => !seen.has(cte.name) && seen.add(cte.name));
}

function withClause(ctes: Cte[]): string {
  return `WITH ${ctes.map((c) => `${c.name} AS (\n${c.sql}\n)`).join(',\n')}`;
}

function selectFrom(rel: Relation): string {
  if (rel.ctes.length === 0) return `SELECT * FROM ${rel.ref}`;
  return `${withClause(rel.ctes)}\nSELECT * FROM ${rel.ref}`;
}

/**
 * Lets queued events through between nodes: in a worker running the blocking duckdb-wasm, a
 * cancel message can only arrive here. Not a 0 ms timer, which Node and browsers stretch to a
 * millisecond or more: `setImmediate` in Node, a message to ourselves in a worker.
 */
const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
// The browser's MessageChannel (this branch runs in a worker; Node has setImmediate).
type Channel = { port1: { onmessage: ((e: unknown) => void) | null }; port2: { postMessage(m: unknown): void } };
let channel: Channel | undefined;
function yieldToEventLoop(): Promise<void> {
  if (immediate) return new Promise((resolve) => immediate(resolve));
  channel ??= new MessageChannel() as unknown as Channel;
  const port = channel;
  return new Promise((resolve) => {
    port.port1.onmessage = () => resolve();
    port.port2.postMessage(null);
  });
}

/** The separator a CSV header line shows: the most frequent of , ; | and tab, if any. */
function guessDelimiter(line: string): string | null {
  const [delimiter, seen] = [',', ';', '|', '\t'].map((d) => [d, line.split(d).length - 1] as const).sort((a, b) => b[1] - a[1])[0]!;
  return seen > 0 ? delimiter : null;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
