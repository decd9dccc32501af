/** Port types: what flows along an edge. */
export type PortType = 'table' | 'model' | 'metrics' | 'report';

export interface PortSpec {
  type: PortType;
  description?: string;
}

export const port = {
  table: (description?: string): PortSpec => ({ type: 'table', description }),
  model: (description?: string): PortSpec => ({ type: 'model', description }),
  metrics: (description?: string): PortSpec => ({ type: 'metrics', description }),
  report: (description?: string): PortSpec => ({ type: 'report', description }),
};

/**
 * Whether an output of type `from` may feed an input of type `to`. Metrics are small tables,
 * so they may go wherever a table may; nothing else converts.
 */
export function portsCompatible(from: PortType, to: PortType): boolean {
  return from === to || (from === 'metrics' && to === 'table');
}
