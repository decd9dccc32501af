import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnConnectStartParams,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { catalog, connectionProblem, edgePorts, type PipelineDocument } from '../../engine/index.ts';
import { useEditor, useRuns, useSession } from '../app/context.ts';
import { nodeSignatures } from '../store/signatures.ts';
import { KanvasNode, type KanvasFlowNode } from './KanvasNode.tsx';
import { QuickAdd } from './QuickAdd.tsx';
import { addNodeChange, dropFiles } from './add-node.ts';

const nodeTypes = { kanvas: KanvasNode };

/** The node graph: positions, selection, connections and drops all become document changes. */
export function Canvas({ baseDir, onStatus }: { baseDir: string; onStatus: (text: string) => void }) {
  const session = useSession();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const apply = useEditor((s) => s.apply);
  const select = useEditor((s) => s.select);
  const runSignatures = useRuns((s) => s.nodes);
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<KanvasFlowNode[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [quickAdd, setQuickAdd] = useState<{ x: number; y: number; flow: { x: number; y: number } } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const signatures = useMemo(() => nodeSignatures(doc), [doc]);

  useEffect(() => {
    const selected = new Set(selection);
    setNodes((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      return doc.nodes.map((n) => {
        const stale = runSignatures[n.id]?.signature !== signatures[n.id];
        const prev = byId.get(n.id);
        const position = doc.layout[n.id] ?? { x: 0, y: 0 };
        const isSelected = selected.has(n.id);
        if (prev && prev.data.stale === stale && prev.selected === isSelected && !prev.dragging && prev.position.x === position.x && prev.position.y === position.y) return prev;
        return { id: n.id, type: 'kanvas', position, data: { stale }, selected: isSelected };
      });
    });
  }, [doc, selection, signatures, runSignatures]);

  const edges = useMemo<Edge[]>(
    () =>
      doc.edges.map((e) => {
        const ports = edgePorts(doc, catalog, e);
        return {
          id: `${e.from}.${ports.fromPort}->${e.to}.${ports.toPort}`,
          source: e.from,
          target: e.to,
          sourceHandle: ports.fromPort ?? null,
          targetHandle: ports.toPort ?? null,
          data: { edge: e },
          selected: selectedEdges.has(`${e.from}.${ports.fromPort}->${e.to}.${ports.toPort}`),
        };
      }),
    [doc, selectedEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<KanvasFlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const moved = changes.flatMap((c) => (c.type === 'position' && c.dragging === false && c.position ? [{ type: 'move' as const, id: c.id, to: c.position }] : []));
      if (moved.length) apply(moved);
      if (changes.some((c) => c.type === 'select')) {
        const next = new Set(session.editor.getState().selection);
        for (const c of changes) if (c.type === 'select') (c.selected ? next.add(c.id) : next.delete(c.id));
        select([...next]);
      }
    },
    [apply, select, session],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      const problem = connectionProblem(session.editor.getState().doc, catalog, {
        from: c.source,
        fromPort: c.sourceHandle ?? '',
        to: c.target,
        toPort: c.targetHandle ?? '',
      });
      setHint(problem ? `Can't connect: ${problem}` : null);
      return problem === null;
    },
    [session],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      setHint(null);
      const current = session.editor.getState().doc;
      const fromKind = catalog.get(current.nodes.find((n) => n.id === c.source)!.kind)!;
      const toKind = catalog.get(current.nodes.find((n) => n.id === c.target)!.kind)!;
      // Port names only where the node has several: the file stays as a person would write it.
      apply([
        {
          type: 'connect',
          edge: {
            from: c.source,
            ...(Object.keys(fromKind.outputs).length > 1 && c.sourceHandle ? { fromPort: c.sourceHandle } : {}),
            to: c.target,
            ...(Object.keys(toKind.inputs).length > 1 && c.targetHandle ? { toPort: c.targetHandle } : {}),
          },
        },
      ]);
    },
    [apply, session],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const c of changes) if (c.type === 'select') (c.selected ? next.add(c.id) : next.delete(c.id));
      return next;
    });
  }, []);

  // Nodes and edges deleted together are one undo step.
  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: KanvasFlowNode[]; edges: Edge[] }) => {
      const removed = new Set(gone.map((n) => n.id));
      apply([
        ...cut
          .map((e) => (e.data as { edge: PipelineDocument['edges'][number] }).edge)
          .filter((e) => !removed.has(e.from) && !removed.has(e.to))
          .map((edge) => ({ type: 'disconnect' as const, edge })),
        ...gone.map((n) => ({ type: 'remove-node' as const, id: n.id })),
      ]);
    },
    [apply],
  );

  const onDrop = useCallback(
    async (event: React.DragEvent) => {
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const kind = event.dataTransfer.getData('application/kanvas-kind');
      if (kind) {
        apply([addNodeChange(session.editor.getState().doc, kind, position)]);
        return;
      }
      if (event.dataTransfer.files.length) {
        const { changes, skipped } = await dropFiles(session, [...event.dataTransfer.files], baseDir, position);
        apply(changes);
        if (skipped.length) onStatus(`Not a CSV, Parquet or JSON file: ${skipped.join(', ')}`);
      }
    },
    [apply, baseDir, flow, onStatus, session],
  );

  const onDoubleClick = useCallback(
    (event: React.MouseEvent) => {
      if ((event.target as HTMLElement).closest('.react-flow__node')) return;
      const box = wrapper.current!.getBoundingClientRect();
      setQuickAdd({ x: event.clientX - box.left, y: event.clientY - box.top, flow: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
    },
    [flow],
  );

  return (
    <div className="canvas" ref={wrapper} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} onDoubleClick={onDoubleClick}>
      <ReactFlow<KanvasFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onConnectStart={(_e: unknown, _p: OnConnectStartParams) => setHint(null)}
        onConnectEnd={() => setHint(null)}
        isValidConnection={isValidConnection}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        deleteKeyCode={['Delete', 'Backspace']}
        zoomOnDoubleClick={false}
        multiSelectionKeyCode="Shift"
        fitView
        minZoom={0.05}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
      {hint && <div className="hint" role="alert">{hint}</div>}
      {quickAdd && (
        <QuickAdd
          at={quickAdd}
          onPick={(kind) => {
            apply([addNodeChange(session.editor.getState().doc, kind, quickAdd.flow)]);
            setQuickAdd(null);
          }}
          onClose={() => setQuickAdd(null)}
        />
      )}
    </div>
  );
}
