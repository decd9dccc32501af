/** Graph queries over node ids and directed edges. Pure; each has its own tests. */

export interface Link {
  from: string;
  to: string;
}

function successors(links: readonly Link[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of links) out.set(l.from, [...(out.get(l.from) ?? []), l.to]);
  return out;
}

/**
 * Topological order, stable: among nodes that are ready, the one listed first in `ids` goes
 * first. Returns null when there is a cycle.
 */
export function topoSort(ids: readonly string[], links: readonly Link[]): string[] | null {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const l of links) indegree.set(l.to, (indegree.get(l.to) ?? 0) + 1);
  const next = successors(links);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  return order.length === ids.length ? order : null;
}

/** One cycle as a closed path (`[a, b, c, a]`), or null when the graph is acyclic. */
export function findCycle(ids: readonly string[], links: readonly Link[]): string[] | null {
  const next = successors(links);
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'active');
    stack.push(id);
    for (const to of next.get(id) ?? []) {
      if (state.get(to) === 'active') return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return null;
}

function reachable(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** Every node `id` depends on, directly or not (not `id` itself). */
export function upstreamOf(id: string, links: readonly Link[]): Set<string> {
  return reachable(id, successors(links.map((l) => ({ from: l.to, to: l.from }))));
}
