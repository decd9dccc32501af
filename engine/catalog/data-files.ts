/**
 * The data files source nodes read: file extension → kind. The source kinds' path params, the
 * canvas (which makes a source node for a dropped file), the file pickers and the desktop's check
 * of a dropped path all read this one list.
 */
export const sourceKindByExtension: Readonly<Record<string, string>> = {
  csv: 'source.csv',
  tsv: 'source.csv',
  txt: 'source.csv',
  parquet: 'source.parquet',
  json: 'source.json',
  ndjson: 'source.json',
  jsonl: 'source.json',
};

export function extensionsOf(kind: string): string[] {
  return Object.keys(sourceKindByExtension).filter((ext) => sourceKindByExtension[ext] === kind);
}
