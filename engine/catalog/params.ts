import { z } from 'zod';
import { checkExpression } from '../sql/expression-guard.ts';
import { statementBody } from '../sql/statement.ts';

/**
 * Param field builders. The `widget` metadata tells generated forms (and the JSON Schema in
 * `kanvas catalog --json`) what a string means; validation is the zod schema itself.
 */
export const column = (description: string) =>
  z.string().min(1, 'expected a column name').meta({ widget: 'column', description });

export const columnList = (description: string) =>
  z.array(z.string().min(1, 'expected a column name')).meta({ widget: 'columns', description });

/** A SQL expression fragment that is embedded in a larger query, so it must stay inside it. */
export const sqlExpression = (description: string) =>
  z
    .string()
    .min(1, 'expected a SQL expression')
    .superRefine((text, ctx) => {
      const problem = checkExpression(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ widget: 'sql-expression', description });

/** One SELECT statement (a trailing `;` is allowed) that is nested inside a larger query. */
export const sqlQuery = (description: string) =>
  z
    .string()
    .min(1, 'expected a SQL query')
    .superRefine((text, ctx) => {
      const problem = statementBody(text).problem;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ widget: 'sql', description });

export const filePath = (description: string, extensions: string[]) =>
  z.string().min(1, 'expected a file path').meta({ widget: 'file', extensions, description });

/** An output column name: any non-empty text (it is always quoted). */
export const columnName = (description: string) =>
  z.string().min(1, 'expected a column name').meta({ widget: 'text', description });

export const seed = () =>
  z.number().int().min(0).max(2 ** 31 - 1).default(42).meta({ description: 'Random seed: the same seed gives the same rows.' });
