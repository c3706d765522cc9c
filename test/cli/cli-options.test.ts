// The command line a kernel developer expects, on the real binary: help per
// command, terse output, colour, id lists, --fail-on, finer ids, code lines
// and doc links, rule pages, merges in --git, and thread mail.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
const bin = path.join(root, "bin/patchwarden.js");
const series = path.join(root, "examples/xen-dom0-series.mbox");
const clean = path.join(root, "examples/clean-fix.patch");

function run(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { input: opts.input, cwd: opts.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "", ...opts.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(stdout: string) {
  return (JSON.parse(stdout) as { findings: { rule: string; check: string | null; severity: string; code: string | null; doc: string; line: number | null }[] }).findings;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-opts-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A one-commit patch with a sign-off and a subject of `length` characters. */
function longSubjectPatch(length: number): string {
  const subject = `mm: ${"x".repeat(length - 4)}`;
  return [
    "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001",
    "From: A Dev <a@example.org>",
    "Date: Mon, 1 Dec 2026 10:00:00 +0000",
    `Subject: [PATCH] ${subject}`,
    "",
    "The page is not freed when the lock cannot be taken, so every failed",
    "attempt leaks one page; free it on that path too.",
    "",
    "Signed-off-by: A Dev <a@example.org>",
    "---",
    "diff --git a/mm/a.c b/mm/a.c",
    "--- a/mm/a.c",
    "+++ b/mm/a.c",
    "@@ -1,2 +1,3 @@",
    " int a;",
    "+int b;",
    " int c;",
    "",
  ].join("\n");
}

describe("help", () => {
  it.each([["check", "--help"], ["check", "-h"], ["help", "check"]])("%s %s prints check's options and exits 0", (a, b) => {
    const r = run([a, b]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^usage: patchwarden check/);
    for (const opt of ["--terse", "--color", "--fail-on", "--no-config", "--ignore ID[,ID...]"]) expect(r.stdout).toContain(opt);
    // No raw argument-parser text (node's own, with its unbalanced quote).
    expect(r.stdout + r.stderr).not.toContain("To specify a positional argument");
  });

  it.each(["stats", "sprawl", "census", "rules", "config"])("help %s prints that command's usage", (cmd) => {
    const r = run(["help", cmd]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: patchwarden ${cmd}`));
  });

  it("a usage error is one line and a pointer to the command's help", () => {
    const r = run(["check", "--bogus", series]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("patchwarden: unknown option --bogus");
    expect(lines[1]).toBe('See "patchwarden check --help".');
    expect(r.stderr).not.toContain("To specify a positional argument");
    expect(run(["help", "nope"]).status).toBe(2);
  });
});

describe("check options", () => {
  it("--terse prints one line per finding and nothing else", () => {
    const r = run(["check", "--terse", series]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/: (error|warning|info): .* \[[a-z/-]+\]$/);
  });

  it("--color=always|never|auto, --color alone and --color WHEN", () => {
    expect(run(["check", "--color=always", series]).stdout).toContain("\x1b[31merror");
    expect(run(["check", "--color", series]).stdout).toContain("\x1b[");
    expect(run(["check", "--color", "always", series]).stdout).toContain("\x1b[");
    expect(run(["check", "--color=never", series]).stdout).not.toContain("\x1b[");
    // auto: a pipe is not a terminal.
    expect(run(["check", "--color=auto", series]).stdout).not.toContain("\x1b[");
    expect(run(["check", "--color=always", "--no-color", series]).stdout).not.toContain("\x1b[");
    const bad = run(["check", "--color=sometimes", series]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--color must be always, never or auto");
  });

  it("--rule and --ignore take comma lists and name the nearest id for a typo", () => {
    const only = json(run(["check", "--format", "json", "--rule", "hv-only-interface,changelog-why", series]).stdout);
    expect(only.map((f) => f.rule).sort()).toEqual(["changelog-why", "hv-only-interface"]);
    const r = run(["check", "--format", "json", "--ignore", "hv-special-case,hv-only-interface", series]);
    expect(json(r.stdout).map((f) => f.rule)).toEqual(["changelog-why"]);
    const typo = run(["check", "--ignore", "changelog-why,hv-specal-case", series]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown rule "hv-specal-case" (did you mean "hv-special-case"?)');
  });

  it("--fail-on warning fails on warnings, --fail-on never never fails", () => {
    const warningsOnly = ["check", "--ignore", "hv-special-case", series];
    expect(run(warningsOnly).status).toBe(0);
    expect(run([...warningsOnly, "--fail-on", "warning"]).status).toBe(1);
    expect(run([...warningsOnly, "--fail-on=error"]).status).toBe(0);
    expect(run(["check", "--fail-on", "never", series]).status).toBe(0);
    expect(run(["check", "--fail-on", "info", clean]).status).toBe(0);
    expect(run(["check", "--fail-on", "loud", series]).status).toBe(2);
  });

  it("the subject-length check is turned off on its own, by --ignore or by the config", () => {
    const patch = path.join(tmp, "long.patch");
    writeFileSync(patch, longSubjectPatch(90));
    const all = json(run(["check", "--format", "json", patch]).stdout);
    expect(all.map((f) => f.check)).toEqual(["commit-reference/subject-length"]);
    expect(json(run(["check", "--format", "json", "--ignore", "commit-reference/subject-length", patch]).stdout)).toEqual([]);
    // The other checks of the rule stay on: a missing sign-off is still found.
    const unsigned = path.join(tmp, "long-unsigned.patch");
    writeFileSync(unsigned, longSubjectPatch(90).replace("Signed-off-by: A Dev <a@example.org>\n", ""));
    const left = json(run(["check", "--format", "json", "--ignore", "commit-reference/subject-length", unsigned]).stdout);
    expect(left.map((f) => f.check)).toEqual(["commit-reference/no-sign-off"]);
    const cfg = path.join(tmp, "no-subject-length.yml");
    writeFileSync(cfg, "rules:\n  commit-reference/subject-length: { enabled: false }\n");
    expect(json(run(["check", "--format", "json", "--config", cfg, unsigned]).stdout).map((f) => f.check)).toEqual(["commit-reference/no-sign-off"]);
    // --rule with a finer id keeps only that check.
    expect(json(run(["check", "--format", "json", "--rule", "commit-reference/no-sign-off", unsigned]).stdout).map((f) => f.check)).toEqual(["commit-reference/no-sign-off"]);
    expect(run(["check", patch]).stdout).toContain("[commit-reference/subject-length]");
  });

  it("the subject-length limit is the tree's to set", () => {
    const patch = path.join(tmp, "long80.patch");
    writeFileSync(patch, longSubjectPatch(80));
    const cfg = (max: number) => {
      const file = path.join(tmp, `max-${max}.yml`);
      writeFileSync(file, `rules:\n  commit-reference/subject-length: { max: ${max} }\n`);
      return file;
    };
    expect(json(run(["check", "--format", "json", "--config", cfg(80), patch]).stdout)).toEqual([]);
    const tight = json(run(["check", "--format", "json", "--config", cfg(72), patch]).stdout);
    expect(tight.map((f) => f.check)).toEqual(["commit-reference/subject-length"]);
    const bad = path.join(tmp, "max-elsewhere.yml");
    writeFileSync(bad, "rules:\n  changelog-why: { max: 30 }\n");
    const r = run(["check", "--config", bad, patch]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("rules.changelog-why.max: only commit-reference/subject-length takes a max");
  });

  it("text shows the offending line under a finding and each fired rule's page; JSON carries both", () => {
    const r = run(["check", series]);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("arch/x86/kernel/acpi/boot.c:984: error:"));
    expect(lines[at + 1]).toBe("    + if (xen_initial_domain())");
    expect(r.stdout).toMatch(/^hv-special-case: +https:\/\/\S+\/rules\/hv-special-case\.md$/m);
    const f = json(run(["check", "--format", "json", series]).stdout);
    expect(f[0]).toMatchObject({ rule: "hv-special-case", code: "\tif (xen_initial_domain())" });
    expect(f[0]!.doc).toMatch(/\/rules\/hv-special-case\.md$/);
    expect(f.find((x) => x.rule === "changelog-why")!.code).toBeNull();
  });
});

describe("patchwarden rules ID", () => {
  it("prints the rule's page", () => {
    const r = run(["rules", "hv-special-case"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(root, "rules/hv-special-case.md"), "utf8"));
  });

  it("a finer id prints its rule's page; a typo names the id meant", () => {
    expect(run(["rules", "commit-reference/subject-length"]).stdout).toBe(readFileSync(path.join(root, "rules/commit-reference.md"), "utf8"));
    const r = run(["rules", "sprawll"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "sprawl"?');
  });

  it("the list names the finer ids", () => {
    expect(run(["rules"]).stdout).toContain("commit-reference/subject-length");
  });
});

describe("check --git and merges", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.org", ...args], { encoding: "utf8" });
  beforeAll(() => {
    repo = path.join(tmp, "merges");
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "a.c"), "int a;\n");
    git("add", ".");
    git("commit", "-qm", "base");
    git("checkout", "-qb", "topic");
    writeFileSync(path.join(repo, "b.c"), "int b;\n");
    git("add", ".");
    git("commit", "-qm", "mm: add b\n\nb is needed by c.\n\nSigned-off-by: T <t@example.org>");
    git("checkout", "-q", "main");
    writeFileSync(path.join(repo, "c.c"), "int c;\n");
    git("add", ".");
    git("commit", "-qm", "mm: add c\n\nc is needed by d.\n\nSigned-off-by: T <t@example.org>");
    git("merge", "-q", "--no-ff", "-m", "Merge branch topic", "topic");
  });

  it("refuses a merge as the one revision, naming it and the range that checks what it merged", () => {
    const r = run(["check", "--git", "HEAD", "--repo", repo]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const short = git("rev-parse", "--short=12", "HEAD").trim();
    expect(r.stderr).toContain(`HEAD is a merge commit (${short} "Merge branch topic")`);
    expect(r.stderr).toContain(`--git ${short}^1..${short}`);
    const merged = run(["check", "--format", "json", "--git", `${short}^1..${short}`, "--repo", repo]);
    expect(merged.status).toBe(0);
    expect(merged.stderr).toContain("1 merge is not checked");
  });

  it("names the merges of a range as skipped and checks the rest", () => {
    const r = run(["check", "--git", "HEAD~2..HEAD", "--repo", repo]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/note: 1 merge is not checked .*"Merge branch topic"/);
    expect(r.stdout).toMatch(/in 2 commits/);
  });
});

describe("mail", () => {
  const patchMail = (subject: string, id: string) =>
    [
      "From: A Dev <a@example.org>",
      "Date: Mon, 1 Dec 2026 10:00:00 +0000",
      `Subject: [PATCH] ${subject}`,
      `Message-ID: <${id}@example.org>`,
      "",
      "The page is not freed when the lock cannot be taken, so it leaks.",
      "",
      "Signed-off-by: A Dev <a@example.org>",
      "---",
      "diff --git a/mm/a.c b/mm/a.c",
      "--- a/mm/a.c",
      "+++ b/mm/a.c",
      "@@ -1,2 +1,3 @@",
      " int a;",
      "+int b;",
      " int c;",
      "",
    ].join("\n");

  it("a reply without a diff in a b4 mbox of a thread is context, not a commit", () => {
    const thread = [
      "From mboxrd@z Thu Jan  1 00:00:00 1970",
      patchMail("mm: fix a leak", "1"),
      "From mboxrd@z Thu Jan  1 00:00:00 1970",
      "From: B Rev <b@example.org>",
      "Date: Mon, 1 Dec 2026 11:00:00 +0000",
      "Subject: Re: [PATCH] mm: fix a leak",
      "Message-ID: <2@example.org>",
      "In-Reply-To: <1@example.org>",
      "",
      "Looks good.",
      "",
      "Reviewed-by: B Rev <b@example.org>",
      "",
    ].join("\n");
    const r = run(["check", "-"], { input: thread });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("no findings in 1 commit");
    expect(r.stderr).toMatch(/<stdin>:\d+: warning: "Re: \[PATCH\] mm: fix a leak": a reply without a diff, read as context, not checked as a commit/);
  });

  it("a [bug report] mail alone is not checked as a commit", () => {
    const report = ["From: C Bot <c@example.org>", "Subject: [bug report] x86/xen: a NULL dereference", "Message-ID: <3@example.org>", "", "Hello, the static checker warns:", ""].join("\n");
    const r = run(["check", "-"], { input: report });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no patch found: its mails have no diff");
  });

  it("two raw mails concatenated without From_ lines are two commits", () => {
    const r = run(["check", "--format", "json", "--rule", "commit-reference", "-"], { input: patchMail("mm: fix a leak", "1") + patchMail("x86: fix another leak", "2") });
    expect(r.status).toBe(0);
    expect(run(["check", "-"], { input: patchMail("mm: fix a leak", "1") + patchMail("x86: fix another leak", "2") }).stdout).toContain("in 2 commits");
  });

  it("a mail cut inside its headers is an input error, not a commit", () => {
    const cut = patchMail("x86/", "1").split("\n").slice(0, 3).join("\n");
    const r = run(["check", "-"], { input: cut });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("<stdin>:1: the mail ends inside its headers (cut short?)");
  });
});

describe("baseline", () => {
  it("--write-baseline records today's findings; --baseline reports only new ones, even after lines move", () => {
    const base = path.join(tmp, "baseline.json");
    const w = run(["check", "--write-baseline", base, series]);
    expect(w.status).toBe(1);
    expect(w.stderr).toContain("3 findings recorded as the baseline");
    const again = run(["check", "--baseline", base, series]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("no findings in 3 commits");
    expect(again.stderr).toContain("3 of 3 findings are in the baseline, not shown");
    // The same special case 3 lines lower, and a new one: only the new one is reported.
    const moved = readFileSync(series, "utf8")
      .replace("@@ -981,6 +981,9 @@", "@@ -984,6 +984,12 @@")
      .replace(" #ifdef CONFIG_X86_PM_TIMER\n", " #ifdef CONFIG_X86_PM_TIMER\n+\tif (xen_pv_domain())\n+\t\tacpi_skip_timer_override = 1;\n+\n");
    const r = run(["check", "--format", "json", "--baseline", base, "-"], { input: moved });
    expect(json(r.stdout).map((f) => [f.rule, f.code])).toEqual([["hv-special-case", "\tif (xen_pv_domain())"]]);
    expect(r.status).toBe(1);
  });

  it("a file that is not a baseline is an input error", () => {
    const bad = path.join(tmp, "not-a-baseline.json");
    writeFileSync(bad, '{"findings": 3}');
    const r = run(["check", "--baseline", bad, series]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("not a baseline");
  });
});
