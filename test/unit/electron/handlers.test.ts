import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatPipeline } from '../../../engine/index.ts';
import { writeFileAtomic } from '../../../engine/node/atomic-write.ts';
import { AccessPolicy } from '../../../electron/access-policy.ts';
import { createHandlers, guardHandler, type HandlerDeps } from '../../../electron/ipc-handlers.ts';
import { pipeline, tempDir } from '../../support/engines.ts';
import { confSettings } from '../../support/settings.ts';

const docText = formatPipeline(pipeline([{ id: 'src', kind: 'source.csv', params: { path: 'data.csv' } }], [], 'demo'));

async function setup(dialogAnswers: { open?: string[]; save?: string } = {}) {
  const dir = tempDir('kanvas-ipc-');
  const project = path.join(dir, 'project');
  mkdirSync(project);
  const file = path.join(project, 'demo.kanvas.json');
  writeFileSync(file, docText);
  const settings = confSettings(dir);
  const access = new AccessPolicy();
  const onAccessChanged = vi.fn();
  const deps: HandlerDeps = {
    dialog: {
      showOpenDialog: async () => ({ canceled: !dialogAnswers.open, filePaths: dialogAnswers.open ?? [] }),
      showSaveDialog: async () => ({ canceled: !dialogAnswers.save, ...(dialogAnswers.save ? { filePath: dialogAnswers.save } : {}) }),
    },
    readText: (f) => readFile(f, 'utf8'),
    isFile: async (f) => existsSync(f) && statSync(f).isFile(),
    writeAtomic: (f, t) => writeFileAtomic(f, t),
    settings,
    access,
    onAccessChanged,
    documentState: { dirty: false, title: '' },
    info: () => ({ version: '0.1.0', examplesDir: '/x', engineProblem: null }),
  };
  return { dir, project, file, settings, access, onAccessChanged, handlers: createHandlers(deps) };
}

describe('IPC handlers', () => {
  it('opens a pipeline from the dialog, permits its folder and records it as recent', async () => {
    const t = await setup();
    const { handlers, access, settings, onAccessChanged } = await setup({ open: [t.file] });
    expect(await handlers['pipeline:open-dialog']()).toEqual({ path: t.file, text: docText });
    expect(access.check(path.join(t.project, 'data.csv'))).toBe(path.join(t.project, 'data.csv'));
    expect(settings.all.recent).toEqual([t.file]);
    expect(onAccessChanged).toHaveBeenCalled();
  });

  it('returns null when the dialog is cancelled', async () => {
    const { handlers } = await setup();
    expect(await handlers['pipeline:open-dialog']()).toBeNull();
    expect(await handlers['pipeline:save-as-dialog'](docText, 'x.kanvas.json')).toBeNull();
  });

  it('saves only inside permitted folders, only pipeline documents, atomically', async () => {
    const { handlers, access, project, file, dir } = await setup();
    await expect(handlers['pipeline:save'](file, docText)).rejects.toThrow(/not permitted/);
    access.allowFolder(project);
    const changed = docText.replace('"demo"', '"demo 2"');
    expect(await handlers['pipeline:save'](file, changed)).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(changed);
    await expect(handlers['pipeline:save'](file, '{"not": "a pipeline"}')).rejects.toThrow(/not a valid pipeline document/);
    expect(readFileSync(file, 'utf8')).toBe(changed);
    await expect(handlers['pipeline:save'](path.join(project, '..', 'escape.kanvas.json'), docText)).rejects.toThrow(/not permitted/);
    await expect(handlers['pipeline:save'](path.join(project, 'notes.txt'), docText)).rejects.toThrow(/must end in .kanvas.json/);
    expect(readdirSync(project).sort()).toEqual(['demo.kanvas.json']);
    expect(existsSync(path.join(dir, 'escape.kanvas.json'))).toBe(false);
  });

  it('save-as writes where the user chose and permits that folder', async () => {
    const t = await setup();
    const target = path.join(t.dir, 'elsewhere.kanvas.json');
    const { handlers, access } = await setup({ save: target });
    expect(await handlers['pipeline:save-as-dialog'](docText, 'demo.kanvas.json')).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(docText);
    expect(access.check(path.join(t.dir, 'data.csv'))).toBe(path.join(t.dir, 'data.csv'));
  });

  it('saves exported code where the user chose, and nothing when cancelled', async () => {
    const t = await setup();
    const target = path.join(t.dir, 'pipeline.py');
    const { handlers } = await setup({ save: target });
    expect(await handlers['export:save-dialog']('print("hi")\n', 'pipeline.py')).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('print("hi")\n');
    expect(await t.handlers['export:save-dialog']('x', 'pipeline.py')).toBeNull();
  });

  it('picks a data file: relative inside the pipeline folder, absolute outside, and permits it', async () => {
    const t = await setup();
    const inside = path.join(t.project, 'data', 'sales.csv');
    const outside = path.join(t.dir, 'other.csv');
    expect(await (await setup({ open: [inside] })).handlers['data:pick-file'](['csv'], t.project)).toBe('data/sales.csv');
    const s = await setup({ open: [outside] });
    expect(await s.handlers['data:pick-file'](['csv'], t.project)).toBe(outside);
    expect(s.access.check(outside)).toBe(outside);
    expect(() => s.access.check(path.join(t.dir, 'secret.csv'))).toThrow(/not permitted/);
  });

  it('permits a dropped data file (relative inside the pipeline folder, absolute outside); refuses what is not one', async () => {
    const { handlers, access, onAccessChanged, project, dir } = await setup();
    mkdirSync(path.join(project, 'data'));
    const inside = path.join(project, 'data', 'sales.csv');
    const outside = path.join(dir, 'trips.parquet');
    writeFileSync(inside, 'a\n1\n');
    writeFileSync(outside, 'PAR1');
    expect(await handlers['data:allow-dropped'](inside, project)).toBe('data/sales.csv');
    expect(await handlers['data:allow-dropped'](outside, project)).toBe(outside);
    expect(access.check(outside)).toBe(outside);
    expect(onAccessChanged).toHaveBeenCalledTimes(2);
    await expect(handlers['data:allow-dropped']('data/sales.csv', project)).rejects.toThrow(/not an absolute path/);
    writeFileSync(path.join(dir, 'notes.docx'), 'x');
    await expect(handlers['data:allow-dropped'](path.join(dir, 'notes.docx'), project)).rejects.toThrow(/not a data file/);
    await expect(handlers['data:allow-dropped'](path.join(dir, 'missing.csv'), project)).rejects.toThrow(/not a file/);
    await expect(handlers['data:allow-dropped'](project + '.csv', project)).rejects.toThrow(/not a file/);
    expect(() => access.check(path.join(dir, 'notes.docx'))).toThrow(/not permitted/);
  });

  it('opens a recent file only if it is in the recent list', async () => {
    const { handlers, settings, file } = await setup();
    await expect(handlers['pipeline:open-recent'](file)).rejects.toThrow(/not a recent file/);
    await settings.addRecent(file);
    expect((await handlers['pipeline:open-recent'](file)).text).toBe(docText);
  });

  it('updates settings and reports them', async () => {
    const { handlers } = await setup();
    expect(await handlers['settings:set']({ theme: 'dark', engine: { threads: 2 } })).toEqual({ theme: 'dark', engine: { threads: 2 } });
    expect(await handlers['settings:get']()).toEqual({ theme: 'dark', engine: { threads: 2 } });
  });
});

describe('IPC guard', () => {
  it('refuses senders other than the app and invalid arguments before the handler runs', async () => {
    const handler = vi.fn(async (_file: string, _text: string) => 'ok');
    const isApp = (url: string | undefined) => url === 'app://kanvas/index.html';
    const guarded = guardHandler('pipeline:save', handler, isApp);
    await expect(guarded({ senderFrame: { url: 'https://evil.example/' } }, '/a.kanvas.json', '{}')).rejects.toThrow('refused pipeline:save: sender https://evil.example/ is not the app');
    await expect(guarded({ senderFrame: null }, '/a.kanvas.json', '{}')).rejects.toThrow(/sender \(unknown\)/);
    await expect(guarded({ senderFrame: { url: 'app://kanvas/index.html' } }, 42, '{}')).rejects.toThrow(/invalid arguments/);
    await expect(guarded({ senderFrame: { url: 'app://kanvas/index.html' } }, '/a.kanvas.json')).rejects.toThrow(/invalid arguments/);
    await expect(guarded({ senderFrame: { url: 'app://kanvas/index.html' } }, '/a.kanvas.json', '{}', 'extra')).rejects.toThrow(/invalid arguments/);
    expect(handler).not.toHaveBeenCalled();
    expect(await guarded({ senderFrame: { url: 'app://kanvas/index.html' } }, '/a.kanvas.json', '{}')).toBe('ok');
    expect(handler).toHaveBeenCalledWith('/a.kanvas.json', '{}');
  });
});

describe('access policy', () => {
  it('refuses traversal, relative paths, look-alike prefixes and NUL bytes', () => {
    const policy = new AccessPolicy(['/home/ann/project']);
    expect(policy.check('/home/ann/project/data/x.csv')).toBe('/home/ann/project/data/x.csv');
    expect(policy.check('/home/ann/project')).toBe('/home/ann/project');
    for (const bad of ['/home/ann/project/../.ssh/id_rsa', '/home/ann/project-evil/x.csv', '/etc/passwd', 'data/x.csv', '/home/ann/project/x\0.csv', '']) {
      expect(() => policy.check(bad), JSON.stringify(bad)).toThrow();
    }
    policy.allowFile('/tmp/picked.csv');
    expect(policy.check('/tmp/picked.csv')).toBe('/tmp/picked.csv');
    expect(() => policy.check('/tmp/other.csv')).toThrow(/not permitted/);
  });
});
