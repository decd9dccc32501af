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
import { catalog, connectionProblem, edgePorts, type PipelineDocument, type PipelineEdge } from '../../engine/index.ts';
import { useEditor, useRuns, useSession } from '../app/context.ts';
import { roundPoint } from '../store/changes.ts';
import { signaturesOf } from '../store/signatures.ts';
import { KanvasNode, type KanvasFlowNode } from './KanvasNode.tsx';
import { QuickAdd } from './QuickAdd.tsx';
import { addNodeChange, dropFiles } from './add-node.ts';
import { nodeById } from '../store/editor-store.ts';

const nodeTypes = { kanvas: KanvasNode };

/** The node graph: positions, selection, connections and drops all become document changes. */
export function Canvas({ baseDir, onStatus, colorMode }: { baseDir: string; onStatus: (text: string) => void; colorMode: 'light' | 'dark' }) {
  const session = useSession();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const apply = useEditor((s) => s.apply);
  const select = useEditor((s) => s.select);
  const runSignatures = useRuns((s) => s.nodes);
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<KanvasFlowNode[]>([]);
  const [hint, setHint] = useState<string | null>(null);
  const hintRef = useRef<string | null>(null);
  const hintTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // While dragging an edge the hint follows the handle under the pointer. A refused drop keeps
  // its reason on screen a while: released, the user still needs to read why nothing happened.
  const showHint = useCallback((text: string | null, forMs?: number) => {
    clearTimeout(hintTimer.current);
    hintRef.current = text;
    setHint(text);
    if (text && forMs) hintTimer.current = setTimeout(() => showHint(null), forMs);
  }, []);
  useEffect(() => () => clearTimeout(hintTimer.current), []);
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [quickAdd, setQuickAdd] = useState<{ x: number; y: number; flow: { x: number; y: number } } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const signatures = signaturesOf(doc);

  // React Flow's nodes follow the document. Unchanged nodes keep their objects, and an
  // unchanged list keeps its array: React Flow then re-renders and re-indexes nothing (an edit
  // of one param must not cost work per node of a large graph).
  useEffect(() => {
    const selected = new Set(selection);
    setNodes((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      const next = doc.nodes.map((n): KanvasFlowNode => {
        const stale = runSignatures[n.id]?.signature !== signatures[n.id];
        const prev = byId.get(n.id);
        const isSelected = selected.has(n.id);
        // Mid-drag, React Flow owns the position: the document's is the one before the drag.
        if (prev?.dragging) return prev.data.stale === stale && prev.selected === isSelected ? prev : { ...prev, data: { stale }, selected: isSelected };
        const position = doc.layout[n.id] ?? { x: 0, y: 0 };
        if (prev && prev.data.stale === stale && prev.selected === isSelected && prev.position.x === position.x && prev.position.y === position.y) return prev;
        return { id: n.id, type: 'kanvas', position, data: { stale }, selected: isSelected };
      });
      return next.length === current.length && next.every((n, i) => n === current[i]) ? current : next;
    });
  }, [doc, selection, signatures, runSignatures]);

  // Flow edges per document edge object: edits keep the objects of edges they do not touch,
  // so the edge list (and React Flow's edge index) is rebuilt only when edges really change.
  const flowEdges = useRef(new WeakMap<PipelineEdge, Edge>());
  const previousEdges = useRef<Edge[]>([]);
  const edges = useMemo<Edge[]>(() => {
    const next = doc.edges.map((e) => {
      let edge = flowEdges.current.get(e);
      if (!edge) {
        const ports = edgePorts(doc, catalog, e);
        edge = { id: `${e.from}.${ports.fromPort}->${e.to}.${ports.toPort}`, source: e.from, target: e.to, sourceHandle: ports.fromPort ?? null, targetHandle: ports.toPort ?? null, data: { edge: e } };
      }
      const selected = selectedEdges.has(edge.id);
      if ((edge.selected ?? false) !== selected) edge = { ...edge, selected };
      flowEdges.current.set(e, edge);
      return edge;
    });
    const before = previousEdges.current;
    if (next.length === before.length && next.every((e, i) => e === before[i])) return before;
    previousEdges.current = next;
    return next;
    // Edge ports depend on the kinds of the nodes at each end; an edge object is made for its
    // nodes and never outlives them (removing a node removes its edges), so `doc.edges` and
    // the selection are what to follow.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc.edges, selectedEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<KanvasFlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const moved = changes.flatMap((c) => (c.type === 'position' && c.dragging === false && c.position ? [{ type: 'move' as const, id: c.id, to: roundPoint(c.position) }] : []));
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
      showHint(problem ? `Can't connect: ${problem}` : null);
      return problem === null;
    },
    [session, showHint],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      showHint(null);
      const current = session.editor.getState().doc;
      const fromKind = catalog.get(nodeById(current, c.source)!.kind)!;
      const toKind = catalog.get(nodeById(current, c.target)!.kind)!;
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
    [apply, session, showHint],
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
        const { changes, skipped, failed } = await dropFiles(session, [...event.dataTransfer.files], baseDir, position);
        if (changes.length) apply(changes);
        const problems = [...(skipped.length ? [`Not a CSV, Parquet or JSON file: ${skipped.join(', ')}`] : []), ...failed.map((f) => `Could not add ${f}`)];
        if (problems.length) onStatus(problems.join('; '));
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
        onConnectStart={(_e: unknown, _p: OnConnectStartParams) => showHint(null)}
        onConnectEnd={(_e, state) => (state.isValid === false ? showHint(hintRef.current, 5000) : showHint(null))}
        isValidConnection={isValidConnection}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        deleteKeyCode={['Delete', 'Backspace']}
        zoomOnDoubleClick={false}
        multiSelectionKeyCode="Shift"
        minZoom={0.05}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
        // React Flow's own parts (minimap mask and nodes, controls) follow the app's theme.
        colorMode={colorMode}
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
