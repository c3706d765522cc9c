// sprawl --by year|quarter|release and census --at/--by release on a small
// real repository: releases from its tags (a merged side branch counts in
// the first release that contains it, -rc and point releases are not
// releases), calendar periods with quiet ones kept, and the figures per
// period adding up to the figure without --by.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { censusCommand } from "../../src/census/command.js";
import { sparkline } from "../../src/chart/sparkline.js";
import { sprawlCommand } from "../../src/history/command.js";
import { calendarPeriods, compareVersions, readReleaseTags, releaseMap, releaseTagsOf } from "../../src/history/periods.js";
import { rollingShare, type SprawlSeries } from "../../src/history/sprawl-periods.js";
import { captureIo, TestRepo } from "./test-repo.js";

let repo: TestRepo;
const hash: Record<string, string> = {};

beforeAll(() => {
  repo = new TestRepo("patchwarden-periods-");
  hash.base = repo.commit("base", "2020-01-10T00:00:00Z", { "drivers/xen/a.c": "int a;\n", "mm/a.c": "int a;\n", "arch/x86/kvm/a.c": "int a;\n", "arch/x86/mm/a.c": "int a;\n" });
  repo.git(["tag", "v1.0"]);
  // A side branch started before v1.1 and merged after it: its commit is in v1.2, not v1.1.
  repo.git(["checkout", "-q", "-b", "side"]);
  hash.side = repo.commit("xen: side work reaching into mm", "2020-02-01T00:00:00Z", { "drivers/xen/a.c": "int b;\n", "mm/a.c": "int b;\n" });
  repo.git(["checkout", "-q", "main"]);
  hash.kvm = repo.commit("kvm: own work", "2020-02-15T00:00:00Z", { "arch/x86/kvm/a.c": "int c;\n" });
  repo.git(["tag", "v1.1-rc1"]);
  repo.git(["tag", "-a", "-m", "v1.1", "v1.1"]);
  repo.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"], { GIT_AUTHOR_DATE: "2020-05-01T00:00:00Z", GIT_COMMITTER_DATE: "2020-05-01T00:00:00Z" });
  hash.xen2 = repo.commit("xen: own work", "2020-05-02T00:00:00Z", { "drivers/xen/a.c": "int d;\n" });
  repo.git(["tag", "v1.2"]);
  repo.git(["tag", "v1.2.1"]);
  // After the last release, two years on (2021 is quiet).
  hash.after = repo.commit("xen: reach into x86", "2022-03-01T00:00:00Z", { "drivers/xen/a.c": "#ifdef CONFIG_XEN\nint e;\n#endif\n", "arch/x86/mm/a.c": "#ifdef CONFIG_XEN\nint e;\n#endif\n" });
});
afterAll(() => repo.remove());

async function json(run: typeof sprawlCommand, args: string[]) {
  const io = captureIo(repo.dir);
  expect(await run(args, io)).toBe(0);
  return JSON.parse(io.out()) as Record<string, unknown>;
}

describe("releases", () => {
  it("orders versions numerically and leaves out -rc tags and point releases", () => {
    expect(compareVersions("v2024.10", "v2024.4")).toBeGreaterThan(0);
    expect(compareVersions("v6.10", "v6.9")).toBeGreaterThan(0);
    const tags = ["v6.9", "v6.10", "v6.10.1", "v6.10-rc1", "v2.6.39", "v2.6.39.4", "next-20240101", "v1.3.2"].map((tag) => ({ tag, commit: tag, time: 0 }));
    expect(releaseTagsOf(tags).map((t) => t.tag)).toEqual(["v1.3.2", "v2.6.39", "v6.9", "v6.10"]);
  });

  it("reads lightweight and annotated tags; a commit belongs to the first release containing it", async () => {
    const tags = await readReleaseTags(repo.dir);
    expect(tags.map((t) => t.tag)).toEqual(["v1.0", "v1.1", "v1.2"]);
    const map = await releaseMap(repo.dir, tags);
    expect(map.releases.map((r) => r.tag)).toEqual(["v1.0", "v1.1", "v1.2"]);
    expect(map.releaseOf(hash.base!)).toBe(0);
    expect(map.releaseOf(hash.kvm!)).toBe(1);
    expect(map.releaseOf(hash.side!)).toBe(2);
    expect(map.releaseOf(hash.xen2!)).toBe(2);
    expect(map.releaseOf(hash.after!)).toBe(3);
  });

  it("calendar periods run from the first to the last, quiet ones included", () => {
    const t = (s: string) => Date.parse(s) / 1000;
    expect(calendarPeriods("year", t("2020-01-10"), t("2022-03-01")).map((p) => p.label)).toEqual(["2020", "2021", "2022"]);
    expect(calendarPeriods("quarter", t("2020-11-10"), t("2021-04-01")).map((p) => p.label)).toEqual(["2020-Q4", "2021-Q1", "2021-Q2"]);
  });
});

describe("sprawl --by", () => {
  it("by release: per release, the commits after the last one apart; the periods add up to the total", async () => {
    const r = (await json(sprawlCommand, ["--by", "release", "--format", "json", "drivers/xen", "arch/x86/kvm"])) as {
      by: string;
      periods: { period: { label: string; tag?: string }; columns: { path: string; commits: number; filesOutside: number; share: number }[] }[];
      total: { columns: { commits: number; filesOutside: number }[] };
    };
    expect(r.by).toBe("release");
    expect(r.periods.map((p) => p.period.label)).toEqual(["v1.0", "v1.1", "v1.2", "after v1.2"]);
    const xen = r.periods.map((p) => [p.columns[0]!.commits, p.columns[0]!.filesOutside]);
    expect(xen).toEqual([[1, 3], [0, 0], [2, 1], [1, 1]]);
    expect(r.periods.map((p) => p.columns[1]!.commits)).toEqual([1, 1, 0, 0]);
    for (const k of [0, 1]) expect(r.periods.reduce((n, p) => n + p.columns[k]!.commits, 0)).toBe(r.total.columns[k]!.commits);
  });

  it("by release with --since: the same releases for the commits in the window", async () => {
    const r = (await json(sprawlCommand, ["--by", "release", "--since", "2020-04-01", "--format", "json", "drivers/xen"])) as { periods: { period: { label: string }; columns: { commits: number }[] }[] };
    expect(r.periods.map((p) => [p.period.label, p.columns[0]!.commits])).toEqual([
      ["v1.2", 1],
      ["after v1.2", 1],
    ]);
  });

  it("by year keeps the quiet year; text has a table and a sparkline per path; csv a row per period and path", async () => {
    const io = captureIo(repo.dir);
    expect(await sprawlCommand(["--by", "year", "drivers/xen", "arch/x86/kvm"], io)).toBe(0);
    const text = io.out();
    expect(text).toMatch(/^2020 +3 +/m);
    expect(text).toMatch(/^2021 +0 +- +0 +-$/m);
    expect(text).toMatch(/^ {2}drivers\/xen {3}▅·▅ {2}57\.1% first, 50\.0% last$/m);
    expect(text).toContain("Share outside per year, 0 to 100%");
    const csv = captureIo(repo.dir);
    expect(await sprawlCommand(["--by", "year", "--format", "csv", "drivers/xen"], csv)).toBe(0);
    expect(csv.out().split("\n")).toEqual([
      "period,tag,path,commits,commits_reaching_outside,files_inside,files_outside,share_outside,treewide_commits,treewide_files",
      "2020,,drivers/xen,3,2,3,4,0.5714,0,0",
      "2021,,drivers/xen,0,0,0,0,,0,0",
      "2022,,drivers/xen,1,1,1,1,0.5,0,0",
      "",
    ]);
  });

  it("svg and html need --by; --by takes year, quarter or release", async () => {
    await expect(sprawlCommand(["--format", "svg", "drivers/xen"], captureIo(repo.dir))).rejects.toThrow("give --by year, quarter or release");
    await expect(sprawlCommand(["--by", "month", "drivers/xen"], captureIo(repo.dir))).rejects.toThrow('--by must be year, quarter or release, not "month"');
  });

  it("a tree without release tags: --by release is an error that points to --by year", async () => {
    const bare = new TestRepo("patchwarden-periods-notags-");
    try {
      bare.commit("one", "2020-01-01T00:00:00Z", { "a/b.c": "x\n" });
      await expect(sprawlCommand(["--by", "release", "a"], captureIo(bare.dir))).rejects.toThrow("no release tags");
    } finally {
      bare.remove();
    }
  });
});

describe("census --at and --by release", () => {
  it("counts at each revision, in the order given, and at every release", async () => {
    const at = (await json(censusCommand, ["--no-config", "--format", "json", "--at", "v1.0", "--at", "HEAD"])) as { revisions: { label: string; hypervisors: { id: string; count: number }[] }[] };
    expect(at.revisions.map((r) => [r.label, r.hypervisors.find((h) => h.id === "xen")!.count])).toEqual([
      ["v1.0", 0],
      ["HEAD", 1],
    ]);
    const io = captureIo(repo.dir);
    expect(await censusCommand(["--no-config", "--by", "release"], io)).toBe(0);
    // The conditional came after the last release.
    expect(io.out()).toBe("Hypervisor conditionals at 3 revisions, outside each hypervisor's own directories.\nNone at any of them.\n");
  });

  it("the counts at each revision are those of a census of that revision alone (blobs shared across revisions are counted once, and right)", async () => {
    const series = (await json(censusCommand, ["--no-config", "--all", "--format", "json", "--at", "v1.0", "--at", "v1.2", "--at", "HEAD", "--at", "v1.1"])) as { revisions: { label: string; hypervisors: { id: string; count: number }[] }[] };
    for (const r of series.revisions) {
      const one = (await json(censusCommand, ["--no-config", "--all", "--format", "json", "--rev", r.label])) as { hypervisors: { id: string; count: number }[] };
      expect(r.hypervisors.map((h) => [h.id, h.count])).toEqual(one.hypervisors.map((h) => [h.id, h.count]));
    }
    expect(series.revisions.find((r) => r.label === "HEAD")!.hypervisors.find((h) => h.id === "xen")!.count).toBe(2);
  });

  it("per PATH, the columns are path and hypervisor; csv a row per revision, path and hypervisor", async () => {
    const io = captureIo(repo.dir);
    expect(await censusCommand(["--no-config", "--at", "v1.2", "--at", "HEAD", "arch/x86"], io)).toBe(0);
    expect(io.out()).toMatch(/^HEAD +[0-9a-f]{12} +1$/m);
    expect(io.out()).toContain("arch/x86 Xen");
    const csv = captureIo(repo.dir);
    expect(await censusCommand(["--no-config", "--format", "csv", "--at", "HEAD", "arch/x86"], csv)).toBe(0);
    expect(csv.out()).toMatch(/^HEAD,[0-9a-f]{40},arch\/x86,xen,1$/m);
  });

  it("mistakes are usage errors", async () => {
    await expect(censusCommand(["--at", "HEAD", "--by", "release"], captureIo(repo.dir))).rejects.toThrow("not both");
    await expect(censusCommand(["--at", "HEAD", "--rev", "HEAD"], captureIo(repo.dir))).rejects.toThrow("--rev counts one revision");
    await expect(censusCommand(["--format", "svg"], captureIo(repo.dir))).rejects.toThrow("give --at REV... or --by release");
    await expect(censusCommand(["--by", "year"], captureIo(repo.dir))).rejects.toThrow("--by must be release");
    await expect(censusCommand(["--no-config", "--at", "HEAD", "nowhere"], captureIo(repo.dir))).rejects.toThrow('no file under "nowhere" at any of the revisions');
  });
});

describe("the chart's rolling share", () => {
  it("sums the files of the last N periods, so a busy period weighs more; null until one has a file", () => {
    const col = (inside: number, outside: number) => ({ filesInside: inside, filesOutside: outside });
    const series = { periods: [col(0, 0), col(1, 3), col(0, 0), col(9, 1), col(1, 1)].map((c) => ({ columns: [c] })) } as unknown as SprawlSeries;
    expect(rollingShare(series, 0, 1)).toEqual([null, 0.75, null, 0.1, 0.5]);
    expect(rollingShare(series, 0, 2)).toEqual([null, 0.75, 0.75, 0.1, 0.1667]);
  });
});

describe("sparkline", () => {
  it("eight heights, a dot for no value, a fixed scale when given", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([0.5, null, 1], { min: 0, max: 1 })).toBe("▅·█");
    expect(sparkline([3, 3])).toBe("██");
    expect(sparkline([0, 0])).toBe("▁▁");
  });
});
