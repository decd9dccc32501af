import { z } from 'zod';
import { defineNode, type TableValue } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { PipelineError } from '../../errors.ts';
import { applierFor } from '../../ml/appliers.ts';
import type { ModelArtifact } from '../../ml/artifact.ts';
import { predictCodegen } from '../../ml/codegen.ts';
import { scoreRows } from '../../ml/score-rows.ts';

export const predict = defineNode({
  kind: 'model.predict',
  version: 1,
  title: 'Predict / apply',
  category: 'model',
  description: 'Applies any fitted artifact to a table: transforms it, or appends predictions.',
  docs: `With a preprocessing artifact (scale, onehot, impute, select) the output is the data transformed
exactly as the training data was. With a model, the output is the data with \`prediction\` appended
(and \`probability\` of the positive class for a binary classifier). Artifacts fitted on
preprocessed data apply that preprocessing first. The data must have the feature columns the
artifact was fitted on. Linear and logistic models (and transforms) are applied in SQL; trees,
networks and ensembles are scored in JS from the artifact and their columns joined back to the rows
by position, in the rows' order.`,
  inputs: { model: port.model('A fitted artifact.'), data: port.table('Rows to transform or score.') },
  outputs: { out: port.table() },
  params: z.strictObject({}),
  run: async (ctx) => {
    const m = ctx.inputs.model;
    if (m?.type !== 'model') throw new PipelineError({ code: 'port-type', node: ctx.node, port: 'model', message: 'expected a fitted artifact' });
    let table = ctx.table('data');
    for (const artifact of [...(m.artifact.preprocessing ?? []), m.artifact]) table = await apply(artifact, table, ctx);
    return { out: table };

    async function apply(artifact: ModelArtifact, input: TableValue, c: typeof ctx): Promise<TableValue> {
      const have = new Set(input.columns.map((col) => col.name.toLowerCase()));
      const missing = artifact.features.filter((f) => !have.has(f.name.toLowerCase())).map((f) => f.name);
      if (missing.length) {
        throw new PipelineError({ code: 'data', node: c.node, port: 'data', message: `missing column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} the ${artifact.kind} artifact was fitted on` });
      }
      const applier = applierFor(artifact.kind);
      if (applier?.sql) return c.materialize(applier.sql(artifact, input.relation, input.columns));
      // Models scored in JS (trees, networks, ensembles): predictions joined back by row position.
      if (applier?.predict) return scoreRows(applier.predict, artifact, input, c);
      throw new PipelineError({ code: 'data', node: c.node, port: 'model', message: `cannot apply an artifact of kind ${artifact.kind}` });
    }
  },
  codegen: predictCodegen,
});
