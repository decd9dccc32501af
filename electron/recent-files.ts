/** Most recent first, no duplicates (same path), at most `limit`. */
export function addRecent(list: readonly string[], file: string, limit = 10): string[] {
  return [file, ...list.filter((f) => f !== file)].slice(0, limit);
}
