// Charts of figures over time, the one face the commands use: a sparkline
// for text, Vega-Lite line charts rendered to SVG (vega itself is loaded
// only inside renderSvg, on first use), and the html page around one.
// src/chart/browser.ts (headless Chromium) is for the check script and its
// test, not for the commands.
export { sparkline, NO_VALUE, type SparkScale } from "./sparkline.js";
export { vegaLiteSpec, chartWidth, wrapText, type ChartPanel, type ChartPoint, type LineChart } from "./spec.js";
export { htmlPage, renderSvg, type HtmlTable } from "./render.js";
