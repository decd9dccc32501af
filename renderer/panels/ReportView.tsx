import type { ReportValue } from '../../engine/index.ts';
import { ReportPlot } from '../plots/PlotView.tsx';
import { DataGrid } from './DataGrid.tsx';

/** A report (e.g. a profile): its tables as grids and its plots with axes. */
export function ReportView({ report }: { report: ReportValue }) {
  const tables = report.sections.filter((s) => s.kind === 'table');
  const plots = report.sections.filter((s) => s.kind === 'plot');
  return (
    <div className="report">
      <h4 style={{ margin: '4px 0' }}>{report.title}</h4>
      {tables.map((t) => (
        <div key={t.title} style={{ height: Math.min(260, 60 + t.rows.length * 22), marginBottom: 8 }}>
          <DataGrid columns={t.columns} rows={t.rows} summaries={[]} />
        </div>
      ))}
      <div className="report-plots">
        {plots.map((p) => (
          <ReportPlot key={p.title} spec={p.plot} title={p.title} />
        ))}
      </div>
    </div>
  );
}
