/**
 * Files the app ships: sample datasets and example pipelines with their data. Vite emits each
 * as an asset (no CDN, works offline); the engine worker fetches one when a pipeline reads it.
 */
const samples = import.meta.glob('../../engine/samples/*.csv', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const exampleData = import.meta.glob('../../examples/*/*.{csv,parquet,json}', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const examplePipelines = import.meta.glob('../../examples/*/pipeline.kanvas.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Absolute engine path → URL. */
export const assetUrls: Record<string, string> = Object.fromEntries([
  ...Object.entries(samples).map(([file, url]) => [`/samples/${file.split('/').pop()}`, url]),
  ...Object.entries(exampleData).map(([file, url]) => [file.replace('../../examples/', '/examples/'), url]),
]);

export interface Example {
  /** Folder name, e.g. `churn`. */
  id: string;
  /** The folder the pipeline's relative paths resolve against. */
  baseDir: string;
  text: string;
}

export const examples: Example[] = Object.entries(examplePipelines)
  .map(([file, text]) => {
    const id = file.split('/')[3]!;
    return { id, baseDir: `/examples/${id}`, text };
  })
  .sort((a, b) => a.id.localeCompare(b.id));
