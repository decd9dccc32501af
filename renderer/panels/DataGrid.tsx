import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { ColumnInfo, ColumnSummary, Primitive } from '../../engine/index.ts';
import { SummaryPlot } from '../plots/PlotView.tsx';

const numeric = /INT|DOUBLE|FLOAT|DECIMAL|REAL/i;

/** Rows of a table, virtualized (only visible rows are in the DOM), with a mini plot per column. */
export function DataGrid({ columns, rows, summaries }: { columns: ColumnInfo[]; rows: Primitive[][]; summaries: ColumnSummary[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 22, overscan: 12 });
  const byColumn = new Map(summaries.map((s) => [s.column, s]));
  const shown = columns.slice(0, 200);
  const width = shown.length * 140;
  return (
    <div className="grid" ref={scroller} style={{ overflow: 'auto', height: '100%' }} role="table" aria-rowcount={rows.length}>
      <div className="header" style={{ width }} role="row">
        {shown.map((c) => (
          <div className="cell" key={c.name} role="columnheader">
            <div className="colname">{c.name}</div>
            <div className="coltype">{c.type}</div>
            {byColumn.get(c.name) && <SummaryPlot summary={byColumn.get(c.name)!} />}
          </div>
        ))}
      </div>
      <div style={{ height: virtual.getTotalSize(), width, position: 'relative' }}>
        {virtual.getVirtualItems().map((item) => (
          <div className="row" role="row" key={item.key} style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: item.size }}>
            {shown.map((c, i) => {
              const v = rows[item.index]![i];
              return (
                <div className={`cell${numeric.test(c.type) ? ' num' : ''}`} role="cell" key={c.name} title={v === null ? 'NULL' : String(v)}>
                  {v === null ? <span className="null">NULL</span> : String(v)}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
