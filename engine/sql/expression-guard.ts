/**
 * User expressions are spliced into generated queries (`WHERE (<expr>)`). This scanner makes
 * sure a fragment cannot close our parenthesis or end our statement, whatever it contains:
 * parentheses balance outside strings and comments, no `;`, every quote and comment closed.
 * It is not a SQL parser; DuckDB's binder reports everything else, attributed to the node.
 */
export function checkExpression(text: string): string | null {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "'" || c === '"') {
      const end = closingQuote(text, i + 1, c);
      if (end < 0) return `unterminated ${c === "'" ? 'string' : 'quoted name'} starting at character ${i + 1}`;
      i = end + 1;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return `unterminated comment starting at character ${i + 1}`;
      i = end + 2;
    } else if (c === '$' && next === '$') {
      const end = text.indexOf('$$', i + 2);
      if (end < 0) return `unterminated $$ string starting at character ${i + 1}`;
      i = end + 2;
    } else {
      if (c === ';') return `";" is not allowed in an expression (character ${i + 1})`;
      if (c === '(') depth++;
      if (c === ')' && --depth < 0) return `unbalanced ")" at character ${i + 1}`;
      i++;
    }
  }
  if (depth > 0) return `${depth} unclosed "("`;
  return null;
}

/** Index of the quote that closes a quoted run starting at `from`; doubled quotes escape. */
function closingQuote(text: string, from: number, quote: string): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i;
    } else i++;
  }
  return -1;
}
