import path from 'node:path';

/** `file`'s path relative to `root` if it is inside it ('' for the root itself), else null. */
export function relativeInside(root: string, file: string): string | null {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel;
}
