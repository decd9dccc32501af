/** Built-in demo datasets (`source.sample`), shipped as CSV beside this file. */
export const sampleDatasets = {
  iris: 'Fisher’s iris flowers: 150 rows, 4 measurements and the species (classification).',
  wine: 'Wine recognition: 178 rows, 13 chemical measurements and the cultivar (classification).',
  breast_cancer: 'Wisconsin breast cancer: 569 rows, 30 cell-nucleus features and the diagnosis (binary).',
  diabetes: 'Diabetes progression: 442 rows, 10 baseline variables and a disease-progression score (regression).',
  customers: 'Synthetic telecom customers: 10,000 rows with plan, region, contract, tenure, charges (some missing), support calls and churn (binary).',
} as const;

export type SampleName = keyof typeof sampleDatasets;
export const sampleNames = Object.keys(sampleDatasets) as [SampleName, ...SampleName[]];
