// Line charts of figures per period (sprawl's share outside per path,
// census's conditionals per hypervisor), as Vega-Lite specifications: plain
// data, built and tested without loading any charting code. src/chart/render.ts
// compiles and renders them.
//
// Printed in black and white a colour says nothing, so every series also
// has its own dash pattern and point shape, and the legend shows all three.

export interface ChartPoint {
  /** The period's label, one of `periods`. */
  x: string;
  /** The series (a path, a hypervisor). */
  series: string;
  /** Null: nothing to show in that period (no commits); the point is left out. */
  y: number | null;
  /** How much the value rests on (the commits of the period): drawn as the point's size when the panel has `weightTitle`. */
  weight?: number;
}

export interface ChartPanel {
  title: string;
  yTitle: string;
  /** "share": 0..1 drawn as percent on a fixed 0-100% axis; "count": whole numbers from zero. */
  kind: "share" | "count";
  points: ChartPoint[];
  height: number;
  /** The legend title of the points' sizes (their `weight`); without it every point has one size. */
  weightTitle?: string;
  /** Points only, no lines between them (counts of rare events, where a line would be mostly zeros). */
  pointsOnly?: boolean;
  /**
   * What the lines draw, when not the points themselves (a rolling figure
   * over several periods, the points being each period alone). A null
   * breaks the line there.
   */
  line?: ChartPoint[];
}

export interface LineChart {
  title: string;
  subtitle: string[];
  xTitle: string;
  /** In order, oldest first. */
  periods: string[];
  legendTitle: string;
  /** In legend order. */
  series: string[];
  panels: ChartPanel[];
}

// Solid first; each pattern tells apart from the others at print size.
const DASHES = [[1, 0], [8, 4], [2, 3], [10, 3, 2, 3], [4, 2], [12, 3, 2, 3, 2, 3], [1, 5], [6, 6]];
const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "stroke"];
// Dark to light when printed in grey (ColorBrewer's Dark2, reordered), so the colour still helps.
const COLOURS = ["#1b1b1b", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#e6ab02"];

const cycle = <T>(xs: T[], n: number): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length]!);

/** Width: enough room for each period's label on the x axis, within a page. */
export function chartWidth(periods: number): number {
  return Math.max(640, Math.min(1400, periods * 20));
}

/** Words wrapped into lines of at most `width` characters: a title is one line per string, and a long one would widen the whole chart. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) (out.push(line), (line = word));
    else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") out.push(line);
  return out;
}

export function vegaLiteSpec(chart: LineChart): Record<string, unknown> {
  const n = chart.series.length;
  const legend = { title: chart.legendTitle, orient: "top", direction: "horizontal", symbolStrokeWidth: 2, symbolSize: 220, symbolType: "stroke", labelLimit: 400, labelFontSize: 12, titleFontSize: 12, columns: Math.min(n, 4) };
  const series = (channel: "color" | "strokeDash" | "shape") => ({
    field: "series",
    type: "nominal",
    sort: chart.series,
    scale: { domain: chart.series, range: channel === "color" ? cycle(COLOURS, n) : channel === "strokeDash" ? cycle(DASHES, n) : cycle(SHAPES, n) },
    legend,
  });
  const width = chartWidth(chart.periods.length);
  const panel = (p: ChartPanel, last: boolean) => {
    const x = {
      field: "x",
      type: "ordinal",
      sort: chart.periods,
      scale: { domain: chart.periods },
      title: last ? chart.xTitle : null,
      axis: { labelAngle: chart.periods.length > 16 ? -90 : -45, labelOverlap: "parity", labelFontSize: 10, titleFontSize: 12, grid: false },
    };
    const y =
      p.kind === "share"
        ? { field: "y", type: "quantitative", title: p.yTitle, scale: { domain: [0, 1] }, axis: { format: ".0%", tickCount: 5, labelFontSize: 11, titleFontSize: 12 } }
        : { field: "y", type: "quantitative", title: p.yTitle, scale: { domainMin: 0, nice: true }, axis: { format: "d", tickMinStep: 1, labelFontSize: 11, titleFontSize: 12 } };
    const size = p.weightTitle
      ? { size: { field: "weight", type: "quantitative", title: p.weightTitle, scale: { type: "sqrt", range: [16, 320], zero: true }, legend: { orient: "top", direction: "horizontal", labelFontSize: 11, titleFontSize: 12, titleLimit: 300, symbolFillColor: "transparent", symbolStrokeColor: "#111" } } }
      : {};
    // Nulls stay in the line's data, so that it breaks at a period with nothing to show rather than bridging it.
    const line = {
      data: { values: (p.line ?? p.points).map((d) => ({ x: d.x, series: d.series, y: d.y })) },
      mark: { type: "line", strokeWidth: 2, invalid: "break-paths-show-domains" },
      encoding: { x, y, color: series("color"), strokeDash: series("strokeDash") },
    };
    const points = {
      data: { values: p.points.filter((d) => d.y !== null) },
      mark: { type: "point", filled: false, size: 55, strokeWidth: 1.5, opacity: 1 },
      encoding: { x, y, color: series("color"), shape: series("shape"), ...size },
    };
    return {
      title: { text: p.title, anchor: "start", fontSize: 13, offset: 8 },
      width,
      height: p.height,
      layer: p.pointsOnly ? [points] : [line, points],
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    // About 7 px per character at the subtitle's size: the lines stay within the plot's width.
    title: { text: chart.title, subtitle: chart.subtitle.flatMap((l) => wrapText(l, Math.floor((chartWidth(chart.periods.length) + 60) / 7))), anchor: "start", fontSize: 17, subtitleFontSize: 12, subtitleColor: "#222", offset: 12 },
    background: "white",
    padding: 12,
    config: { font: "DejaVu Sans, Helvetica, Arial, sans-serif", view: { stroke: "#888" }, axis: { labelColor: "#111", titleColor: "#111", gridColor: "#ddd" }, legend: { labelColor: "#111", titleColor: "#111" } },
    vconcat: chart.panels.map((p, i) => panel(p, i === chart.panels.length - 1)),
    resolve: { scale: { color: "shared", strokeDash: "shared", shape: "shared" }, legend: { color: "shared", strokeDash: "shared", shape: "shared" } },
  };
}
