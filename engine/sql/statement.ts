import { checkExpression } from './expression-guard.ts';

/**
 * A user's query, to be nested inside ours: trailing semicolons are dropped, and what is left
 * must be one statement whose parentheses and quotes are closed.
 */
export function statementBody(text: string): { body: string; problem: string | null } {
  const body = text.trim().replace(/;+\s*$/, '');
  const problem = checkExpression(body);
  return { body, problem: problem && problem.startsWith('";"') ? 'expected one statement; ";" separates several' : problem };
}

/**
 * Prepends CTEs to a user query, merging with a WITH the query may already start with
 * (`WITH a AS (…) WITH b AS (…)` is not SQL; `WITH a AS (…), b AS (…)` is).
 */
export function withCtes(ctes: string, query: string): string {
  const m = /^\s*with(\s+recursive)?\s/i.exec(query);
  if (!m) return `WITH ${ctes}\n${query}`;
  return `WITH${m[1] ? ' RECURSIVE' : ''} ${ctes},\n${query.slice(m[0].length)}`;
}
