/** Param schemas and checks shared by the tuner kinds. */
import { z } from 'zod';
import { PipelineError } from '../errors.ts';
import { distributionProblem, type Distribution, type SearchSpace } from './space.ts';
import type { TunableModel } from './models.ts';

const choice = z.union([z.string(), z.number(), z.boolean()]);

/** One param's range in a search space, as written in a document. */
export const spaceEntry = z.discriminatedUnion('type', [
  z.strictObject({
    param: z.string().min(1).meta({ description: 'Model param.' }),
    type: z.literal('float'),
    low: z.number().meta({ description: 'Smallest value.' }),
    high: z.number().meta({ description: 'Largest value.' }),
    log: z.boolean().default(false).meta({ description: 'Search on a log scale (low > 0).' }),
  }),
  z.strictObject({
    param: z.string().min(1).meta({ description: 'Model param.' }),
    type: z.literal('int'),
    low: z.number().int().meta({ description: 'Smallest value.' }),
    high: z.number().int().meta({ description: 'Largest value.' }),
    log: z.boolean().default(false).meta({ description: 'Search on a log scale (low > 0).' }),
    step: z.number().int().min(1).default(1).meta({ description: 'Grid step from low.' }),
  }),
  z.strictObject({
    param: z.string().min(1).meta({ description: 'Model param.' }),
    type: z.literal('categorical'),
    choices: z.array(choice).min(1).meta({ description: 'Values to try.' }),
  }),
]);
export type SpaceEntry = z.output<typeof spaceEntry>;

export const spaceParam = () =>
  z
    .array(spaceEntry)
    .default([])
    .meta({
      description:
        'Search space: per model param, a float or int range (optionally log scale) or a list of choices; a single choice fixes a param. Empty: the model’s default space. Params not listed keep the model’s defaults.',
    });

/** The search space: the model's default ranges, with the node's entries replacing them. */
export function resolveSpace(model: TunableModel, entries: SpaceEntry[], node: string, param = 'space'): SearchSpace {
  if (entries.length === 0) return { ...model.space };
  const space: SearchSpace = {};
  const known = Object.keys(model.space);
  entries.forEach((e, i) => {
    const where = `${param}[${i}]`;
    if (!known.includes(e.param)) {
      throw new PipelineError({ code: 'param', node, param: where, message: `${model.kind} has no tunable param "${e.param}"; tunable: ${known.join(', ')}` });
    }
    if (e.param in space) throw new PipelineError({ code: 'param', node, param: where, message: `param "${e.param}" is listed twice` });
    const dist: Distribution =
      e.type === 'categorical'
        ? { type: 'categorical', choices: e.choices }
        : e.type === 'int'
          ? { type: 'int', low: e.low, high: e.high, ...(e.log ? { log: true } : {}), ...(e.step !== 1 ? { step: e.step } : {}) }
          : { type: 'float', low: e.low, high: e.high, ...(e.log ? { log: true } : {}) };
    const problem = distributionProblem(dist);
    if (problem) throw new PipelineError({ code: 'param', node, param: where, message: problem });
    // Values must be ones the model accepts: check the range ends (or each choice) against its params.
    const probes = dist.type === 'categorical' ? dist.choices : [dist.low, dist.high];
    for (const v of probes) {
      try {
        model.params({ [e.param]: v }, 'target', []);
      } catch (err) {
        const issue = err instanceof z.ZodError ? (err.issues[0]?.message ?? 'invalid') : String(err);
        throw new PipelineError({ code: 'param', node, param: where, message: `${JSON.stringify(v)} is not a valid ${e.param}: ${issue}` });
      }
    }
    space[e.param] = dist;
  });
  return space;
}
