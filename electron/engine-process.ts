/**
 * The desktop app's engine: an Electron utility process running the engine on native DuckDB,
 * reading the user's files directly. The renderer talks to it over a MessagePort (the same
 * protocol as the browser's worker); the main process tells it which folders it may touch.
 */
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../engine/index.ts';
import { createNodeHostFiles } from '../engine/node/host-files.ts';
import { NativeDatabase } from '../engine/node/native-database.ts';
import { useNodeTensorFlow } from '../engine/node/tf-wasm.ts';
import { createEngineService, type ServiceHost } from '../engine/service/engine-service.ts';
import { serveEngine } from '../engine/service/rpc.ts';
import { AccessPolicy } from './access-policy.ts';
import { guardedFiles } from './guarded-files.ts';

interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  start(): void;
}
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
}

export type EngineProcessMessage =
  | { type: 'allow'; folders: string[]; files: string[] }
  | { type: 'settings'; threads: number | null }
  | { type: 'connect' };

const samplesDir = process.env.KANVAS_SAMPLES_DIR ?? path.join(import.meta.dirname, '..', '..', 'engine', 'samples');
const tempDirectory = path.join(os.tmpdir(), `kanvas-duckdb-${process.pid}`);

// model.mlp trains with TensorFlow.js on its wasm backend (the .wasm files ship with the app).
useNodeTensorFlow();

let policy = new AccessPolicy([samplesDir]);
let threads: number | null = null;
let engine: Engine | undefined;
let reopen = true;

// DuckDB's permitted folders are fixed per database, so new permissions mean a new database
// (and an empty in-memory cache): permissions change only when the user opens or saves.
const host: ServiceHost = {
  get engine() {
    if (!engine) throw new Error('engine not open');
    return engine;
  },
  get files() {
    return guardedFiles(createNodeHostFiles(samplesDir), policy);
  },
  async prepare() {
    if (!reopen) return;
    reopen = false;
    await engine?.close();
    const files = guardedFiles(createNodeHostFiles(samplesDir), policy);
    const db = await NativeDatabase.open({
      files,
      ...(threads ? { threads } : {}),
      allowedDirectories: policy.folders(),
      allowedPaths: policy.pickedFiles(),
      tempDirectory,
    });
    engine = new Engine({ db, files });
  },
  async putFile() {
    throw new Error('the desktop engine reads files from disk; open them instead');
  },
  readFile: (p) => guardedFiles(createNodeHostFiles(samplesDir), policy).readFile(p),
};

const service = createEngineService(async () => {
  await host.prepare!();
  return host;
});

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;
parentPort.on('message', (e) => {
  const message = e.data as EngineProcessMessage;
  if (message.type === 'allow') {
    policy = new AccessPolicy([samplesDir, ...message.folders]);
    for (const f of message.files) policy.allowFile(f);
    reopen = true;
  } else if (message.type === 'settings') {
    threads = message.threads;
    reopen = true;
  } else if (message.type === 'connect') {
    const port = e.ports[0]!;
    serveEngine(service, {
      post: (m) => port.postMessage(m),
      listen: (handler) => {
        port.on('message', (ev) => handler(ev.data));
        port.start();
      },
    });
  }
});
