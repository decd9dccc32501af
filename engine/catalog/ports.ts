/** Port types: what flows along an edge. */
export type PortType = 'table' | 'model' | 'metrics' | 'report';

export interface PortSpec {
  type: PortType;
  description?: string;
  /** An input that may be left unconnected (the kind's `run` then finds no value on it). */
  optional?: boolean;
}

export const port = {
  table: (description?: string, o: { optional?: boolean } = {}): PortSpec => ({ type: 'table', description, ...(o.optional ? { optional: true } : {}) }),
  model: (description?: string, o: { optional?: boolean } = {}): PortSpec => ({ type: 'model', description, ...(o.optional ? { optional: true } : {}) }),
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
