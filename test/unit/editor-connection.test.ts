import { describe, expect, it } from 'vitest';
import { catalog, connectionProblem, edgePorts, type PipelineDocument } from '../../engine/index.ts';

function doc(): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'connect',
    nodes: [
      { id: 'src', kind: 'source.csv', params: { path: 'a.csv' } },
      { id: 'other', kind: 'source.csv', params: { path: 'b.csv' } },
      { id: 'f', kind: 'transform.filter', params: { where: 'x' } },
      { id: 'g', kind: 'transform.filter', params: { where: 'y' } },
      { id: 'j', kind: 'transform.join', params: { on: ['id'] } },
      { id: 'prof', kind: 'analysis.profile', params: {} },
    ],
    edges: [
      { from: 'src', to: 'f' },
      { from: 'f', to: 'g' },
      { from: 'src', to: 'j', toPort: 'left' },
      { from: 'g', to: 'prof' },
    ],
    layout: {},
  };
}

const problem = (from: string, fromPort: string, to: string, toPort: string) => connectionProblem(doc(), catalog, { from, fromPort, to, toPort });

describe('connectionProblem', () => {
  it('allows a valid edge', () => {
    expect(problem('other', 'out', 'j', 'right')).toBeNull();
    expect(problem('g', 'out', 'j', 'right')).toBeNull();
  });

  it('lets a metrics output feed a table input', () => {
    expect(problem('prof', 'stats', 'j', 'right')).toBeNull();
  });

  it('refuses a type mismatch, naming both types', () => {
    expect(problem('prof', 'report', 'j', 'right')).toBe('a report output cannot feed a table input');
  });

  it('refuses a second edge into a taken input, naming the edge already there', () => {
    expect(problem('other', 'out', 'f', 'in')).toBe('input "in" of "f" is already connected from "src"');
    expect(problem('other', 'out', 'j', 'left')).toBe('input "left" of "j" is already connected from "src"');
    expect(problem('src', 'out', 'f', 'in')).toMatch(/already connected/); // the very same edge again
  });

  it('refuses an edge that would close a cycle', () => {
    expect(connectionProblem({ ...doc(), edges: doc().edges.filter((e) => !(e.from === 'src' && e.to === 'f')) }, catalog, { from: 'g', fromPort: 'out', to: 'f', toPort: 'in' })).toBe(
      '"f" is upstream of "g": this edge would make a cycle',
    );
  });

  it('refuses a self-loop', () => {
    const free = { ...doc(), edges: [] };
    expect(connectionProblem(free, catalog, { from: 'f', fromPort: 'out', to: 'f', toPort: 'in' })).toBe('a node cannot feed itself');
  });

  it('refuses unknown nodes and ports, including names every object has', () => {
    expect(problem('nope', 'out', 'j', 'right')).toBe('unknown node or port');
    expect(problem('other', 'out', 'j', 'middle')).toBe('unknown node or port');
    expect(problem('other', 'toString', 'j', 'right')).toBe('unknown node or port');
    expect(problem('other', 'out', 'j', 'constructor')).toBe('unknown node or port');
  });

  it('fills in the lone port of an edge that leaves it out', () => {
    expect(edgePorts(doc(), catalog, { from: 'src', to: 'f' })).toEqual({ fromPort: 'out', toPort: 'in' });
    expect(edgePorts(doc(), catalog, { from: 'src', to: 'j', toPort: 'left' })).toEqual({ fromPort: 'out', toPort: 'left' });
    expect(edgePorts(doc(), catalog, { from: 'prof', to: 'j' })).toEqual({ fromPort: undefined, toPort: undefined });
  });
});
