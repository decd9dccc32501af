import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useRef } from 'react';
import type { ColumnSummary, PlotSpec } from '../../engine/index.ts';

/** Renders Observable Plot options into the DOM (Plot builds SVG elements itself). */
export function PlotView({ options, label }: { options: Plot.PlotOptions; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = Plot.plot(options);
    host.current!.replaceChildren(el);
    return () => el.remove();
  }, [options]);
  return <figure ref={host} aria-label={label} data-plot={label} />;
}

type Bins = { x0: number; x1: number; count: number }[];
type Bars = { label: string; count: number }[];

function histogramOptions(bins: Bins, size: { width: number; height: number; axes: boolean }): Plot.PlotOptions {
  return {
    width: size.width,
    height: size.height,
    marginLeft: size.axes ? 45 : 2,
    marginBottom: size.axes ? 30 : 2,
    marginTop: size.axes ? 10 : 2,
    marginRight: size.axes ? 10 : 2,
    x: { axis: size.axes ? 'bottom' : null, label: null },
    y: { axis: size.axes ? 'left' : null, grid: size.axes, label: size.axes ? 'count' : null },
    marks: [Plot.rectY(bins, { x1: 'x0', x2: 'x1', y: 'count', fill: 'var(--accent)', inset: 0.5 }), Plot.ruleY([0])],
  };
}

function barOptions(bars: Bars, size: { width: number; height: number; axes: boolean }): Plot.PlotOptions {
  return {
    width: size.width,
    height: size.height,
    marginLeft: size.axes ? 110 : 2,
    marginBottom: size.axes ? 30 : 2,
    marginTop: size.axes ? 10 : 2,
    marginRight: size.axes ? 10 : 2,
    x: { axis: size.axes ? 'bottom' : null, grid: size.axes, label: size.axes ? 'count' : null },
    y: { axis: size.axes ? 'left' : null, label: null, domain: bars.map((b) => b.label) },
    marks: [Plot.barX(bars, { y: 'label', x: 'count', fill: 'var(--port-metrics)' }), Plot.ruleX([0])],
  };
}

type Series = Extract<PlotSpec, { type: 'line' }>['series'];

/** Series over a numeric x (a tuner's value per trial and its best so far): lines, or dots only. */
function lineOptions(spec: { x: string; y: string; series: Series }, size: { width: number; height: number }): Plot.PlotOptions {
  const points = spec.series.flatMap((s) => s.points.map((p) => ({ ...p, series: s.name })));
  const dotted = new Set(spec.series.filter((s) => s.dots).map((s) => s.name));
  return {
    width: size.width,
    height: size.height,
    marginLeft: 45,
    marginBottom: 30,
    marginTop: 10,
    marginRight: 10,
    x: { label: spec.x },
    y: { label: spec.y, grid: true },
    color: { legend: spec.series.length > 1 },
    marks: [
      Plot.line(points.filter((p) => !dotted.has(p.series)), { x: 'x', y: 'y', stroke: 'series' }),
      Plot.dot(points.filter((p) => dotted.has(p.series)), { x: 'x', y: 'y', fill: 'series', r: 2 }),
    ],
  };
}

/** A value per cell of a label grid (a confusion matrix), with the value written in each cell. */
function heatmapOptions(spec: Extract<PlotSpec, { type: 'heatmap' }>, size: { width: number; height: number }): Plot.PlotOptions {
  return {
    width: size.width,
    height: size.height,
    marginLeft: 80,
    marginBottom: 40,
    padding: 0.05,
    x: { label: spec.x, domain: spec.xLabels },
    y: { label: spec.y, domain: spec.yLabels },
    color: { scheme: 'blues' },
    marks: [
      Plot.cell(spec.cells, { x: 'x', y: 'y', fill: 'value', inset: 0.5 }),
      Plot.text(spec.cells, { x: 'x', y: 'y', text: (d: { value: number }) => String(d.value), fill: 'black' }),
    ],
  };
}

/** A column's mini plot in the data preview header. */
export function SummaryPlot({ summary }: { summary: ColumnSummary }) {
  const options = useMemo(() => {
    const size = { width: 124, height: 36, axes: false };
    return summary.kind === 'histogram' ? histogramOptions(summary.bins, size) : barOptions(summary.bars, size);
  }, [summary]);
  return <PlotView options={options} label={`distribution of ${summary.column}`} />;
}

/** A plot from a report (e.g. analysis.profile), with axes. */
export function ReportPlot({ spec, title }: { spec: PlotSpec; title: string }) {
  const options = useMemo(() => {
    const size = { width: 300, height: 170, axes: true };
    if (spec.type === 'histogram') return histogramOptions(spec.bins, size);
    if (spec.type === 'line') return lineOptions(spec, size);
    if (spec.type === 'heatmap') return heatmapOptions(spec, { width: 300, height: 260 });
    return barOptions(spec.bars, size);
  }, [spec]);
  return (
    <div>
      <div className="muted">{title}</div>
      <PlotView options={options} label={title} />
    </div>
  );
}
