import { vegaLiteSpec, type LineChart } from "./spec.js";

// Renders a chart to SVG in this process: Vega-Lite compiles the
// specification and Vega renders it with its headless "none" renderer (no
// canvas, no browser). Both are loaded here, on first use, so that a
// command that draws nothing never reads them (they are most of the
// bundle's weight).

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export async function renderSvg(chart: LineChart): Promise<string> {
  // One after the other: jest's ESM loader fails on two module graphs that share files loading at once.
  const vega = await import("vega");
  const { compile } = await import("vega-lite");
  const compiled = compile(vegaLiteSpec(chart) as unknown as Parameters<typeof compile>[0]).spec;
  // A chart reads only the data inlined in it: no loader may reach a file or the network.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error("a chart loads no data"));
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader });
  try {
    const svg = await view.toSVG();
    // A title a screen reader (and a browser's tooltip) reads: the figures are drawn, not written.
    const label = escape(`${chart.title}. ${chart.subtitle.join(" ")}`);
    const end = svg.indexOf(">");
    return svg.startsWith("<svg") && end !== -1 ? `${svg.slice(0, end)} role="img" aria-label="${label}">` + `<title>${label}</title>${svg.slice(end + 1)}` : svg;
  } finally {
    view.finalize();
  }
}


export interface HtmlTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/**
 * One self-contained page: the chart as inline SVG (no script, nothing
 * fetched, so it opens from a mail or an artifact store), and the figures
 * it draws as tables below, for a reader who wants the numbers.
 */
export function htmlPage(title: string, svg: string, tables: HtmlTable[]): string {
  const table = (t: HtmlTable) =>
    [
      `<table>`,
      `<caption>${escape(t.caption)}</caption>`,
      `<thead><tr>${t.head.map((h) => `<th scope="col">${escape(h)}</th>`).join("")}</tr></thead>`,
      `<tbody>`,
      ...t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td>${escape(c)}</td>`)).join("")}</tr>`),
      `</tbody>`,
      `</table>`,
    ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="patchwarden">
<title>${escape(title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #111; background: #fff; margin: 16px; }
figure { margin: 0 0 24px 0; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0 0 24px 0; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #bbb; padding: 2px 8px; text-align: right; }
th[scope="col"], th[scope="row"] { text-align: left; background: #f2f2f2; }
</style>
</head>
<body>
<figure>
${svg}
</figure>
${tables.map(table).join("\n")}
</body>
</html>
`;
}
