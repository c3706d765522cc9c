// The charts of sprawl --by and census --at: a Vega-Lite specification
// where each series has its own dash pattern and point shape (readable in
// black and white), rendered to SVG in this process by vega; and on the
// real command line, vega is loaded only when a chart is asked for.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { htmlPage, renderSvg } from "../../src/chart/render.js";
import { vegaLiteSpec, wrapText, type LineChart } from "../../src/chart/spec.js";
import { TestRepo } from "../history/test-repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const chart: LineChart = {
  title: "Sprawl in test: the share of files outside each path, by release",
  subtitle: ["A subtitle long enough to be wrapped into more than one line when the chart is narrow, as a real one is."],
  xTitle: "release",
  periods: ["v1.0", "v1.1", "v1.2"],
  legendTitle: "path",
  series: ["drivers/xen", "arch/x86/kvm", "board/emulation"],
  panels: [
    {
      title: "Share outside",
      yTitle: "files outside the path",
      kind: "share",
      height: 200,
      weightTitle: "commits in the period",
      points: [
        { x: "v1.0", series: "drivers/xen", y: 0.75, weight: 4 },
        { x: "v1.1", series: "drivers/xen", y: null, weight: 0 },
        { x: "v1.2", series: "drivers/xen", y: 0.25, weight: 2 },
        { x: "v1.0", series: "arch/x86/kvm", y: 0.1, weight: 1 },
        { x: "v1.2", series: "board/emulation", y: 0.5, weight: 3 },
      ],
    },
    { title: "Treewide commits", yTitle: "treewide commits", kind: "count", height: 80, pointsOnly: true, points: [{ x: "v1.1", series: "drivers/xen", y: 2 }] },
  ],
};

type Enc = { field: string; scale: { domain: string[]; range: unknown[] } };
type Layer = { mark: { type: string }; encoding: Record<string, Enc>; data: { values: { y: number | null }[] } };

describe("the specification", () => {
  const spec = vegaLiteSpec(chart) as { vconcat: { layer: Layer[] }[] };

  it("gives every series its own dash pattern and point shape besides its colour", () => {
    const [line, points] = spec.vconcat[0]!.layer;
    expect(line!.mark.type).toBe("line");
    const dashes = line!.encoding.strokeDash!.scale.range.map((d) => JSON.stringify(d));
    const shapes = points!.encoding.shape!.scale.range;
    expect(new Set(dashes).size).toBe(3);
    expect(new Set(shapes).size).toBe(3);
    expect(line!.encoding.strokeDash!.scale.domain).toEqual(chart.series);
    // The point's size is the period's commits.
    expect(points!.encoding.size!.field).toBe("weight");
  });

  it("leaves out the points with no value but breaks the line there; draws only points where asked", () => {
    const [line, points] = spec.vconcat[0]!.layer;
    expect(points!.data.values).toHaveLength(4);
    expect(line!.data.values.filter((v) => v.y === null)).toHaveLength(1);
    expect(spec.vconcat[1]!.layer.map((l) => l.mark.type)).toEqual(["point"]);
  });

  it("wraps long subtitles", () => {
    expect(wrapText("aa bb cc dd", 5)).toEqual(["aa bb", "cc dd"]);
  });
});

describe("rendering", () => {
  it("renders SVG in node with axes, titles and the legend labelled", async () => {
    const svg = await renderSvg(chart);
    expect(svg.startsWith("<svg")).toBe(true);
    // Named for a screen reader.
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-label="Sprawl in test: [^"]*"><title>Sprawl in test: /);
    for (const s of ["files outside the path", "release", "drivers/xen", "arch/x86/kvm", "board/emulation", "v1.2", "100%", "commits in the period", "Treewide commits"]) expect(svg).toContain(s);
    // Three dash patterns on the lines (solid is 1,0).
    expect(new Set(svg.match(/stroke-dasharray="[^"]+"/g)).size).toBeGreaterThanOrEqual(3);
    const html = htmlPage("t <&>", svg, [{ caption: "c", head: ["a", "b"], rows: [["x", "<1>"]] }]);
    expect(html).toContain("<title>t &lt;&amp;&gt;</title>");
    expect(html).toContain("<td>&lt;1&gt;</td>");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe("on the command line", () => {
  let tmp: string;
  let repo: TestRepo;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-chart-imports-"));
    repo = new TestRepo("patchwarden-chart-");
    repo.commit("one", "2021-01-01T00:00:00Z", { "drivers/xen/a.c": "int a;\n", "mm/a.c": "int a;\n" });
    repo.git(["tag", "v1.0"]);
    repo.commit("two", "2021-06-01T00:00:00Z", { "drivers/xen/a.c": "int b;\n" });
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    repo.remove();
  });

  function run(name: string, args: string[]): { status: number | null; stdout: string; loaded: string[] } {
    const record = path.join(tmp, `${name}.txt`);
    const r = spawnSync(process.execPath, ["--import", path.join(root, "test/cli/load-recorder.mjs"), path.join(root, "bin/patchwarden.js"), ...args], {
      cwd: repo.dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", LOAD_RECORD: record, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    });
    return { status: r.status, stdout: r.stdout, loaded: readFileSync(record, "utf8").split("\n").filter(Boolean) };
  }
  const vega = (loaded: string[]) => loaded.filter((u) => /\/node_modules\/vega(-lite)?\//.test(u));

  it("rules, and sprawl without a chart, never load vega", () => {
    expect(vega(run("rules", ["rules"]).loaded)).toEqual([]);
    const text = run("sprawl-text", ["sprawl", "--by", "release", "drivers/xen"]);
    expect(text.status).toBe(0);
    expect(vega(text.loaded)).toEqual([]);
  });

  it("sprawl --format svg and census --format html load it and draw", () => {
    const svg = run("sprawl-svg", ["sprawl", "--by", "release", "--format", "svg", "drivers/xen"]);
    expect(svg.status).toBe(0);
    expect(svg.stdout.startsWith("<svg")).toBe(true);
    expect(svg.stdout).toContain("after v1.0");
    expect(vega(svg.loaded).length).toBeGreaterThan(0);
    const html = run("census-html", ["census", "--no-config", "--at", "v1.0", "--at", "HEAD", "--format", "html"]);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>[\s\S]*<svg[\s\S]*<table>/);
  });
});
