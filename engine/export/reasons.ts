/** Reasons shared by kinds that a target cannot express. */

export const freeSqlReason = (target: string) =>
  `free DuckDB SQL is not translated to ${target}: the query is not parsed into another engine's API (the sql export keeps it as written)`;

export const profileReason =
  'a profile is an interactive report for the Kanvas editor (histograms, most frequent values, statistics as DuckDB prints them), not a data step: exported code computes data; use pandas’ describe() or DuckDB’s SUMMARIZE';
