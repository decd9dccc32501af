import { describe, expect, it } from 'vitest';
import { findCycle, topoSort, upstreamOf } from '../../engine/graph/graph.ts';

const l = (spec: string) => spec.split(' ').map((e) => ({ from: e.split('>')[0]!, to: e.split('>')[1]! }));

describe('graph queries', () => {
  it('sorts topologically, keeping document order among independent nodes', () => {
    expect(topoSort(['c', 'a', 'b', 'd'], l('a>b b>d c>d'))).toEqual(['c', 'a', 'b', 'd']);
    expect(topoSort(['x', 'y'], [])).toEqual(['x', 'y']);
  });

  it('returns null for a cyclic graph and names the cycle as a closed path', () => {
    expect(topoSort(['a', 'b', 'c'], l('a>b b>c c>b'))).toBeNull();
    expect(findCycle(['a', 'b', 'c'], l('a>b b>c c>b'))).toEqual(['b', 'c', 'b']);
    expect(findCycle(['a'], l('a>a'))).toEqual(['a', 'a']);
    expect(findCycle(['a', 'b', 'c'], l('a>b a>c b>c'))).toBeNull();
  });

  it('finds everything upstream of a node', () => {
    const links = l('a>b b>c x>c c>d e>f');
    expect([...upstreamOf('d', links)].sort()).toEqual(['a', 'b', 'c', 'x']);
    expect(upstreamOf('a', links).size).toBe(0);
  });
});
