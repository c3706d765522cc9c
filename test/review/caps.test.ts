// What the app posts stays within GitHub's limits and the per-review caps,
// whatever the number of findings: cut with a note, never refused.
import { describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { fingerprintOf } from "../../src/findings/fingerprint.js";
import type { Finding } from "../../src/findings/types.js";
import { parseSeries } from "../../src/patch/series.js";
import { fitLine, fitText, MAX_ANNOTATIONS, MAX_BODY, MAX_CHECK_TEXT, MAX_TITLE } from "../../src/review/limits.js";
import { readMarkers, wasPosted } from "../../src/review/markers.js";
import { failingCheck, fitCheck, MAX_COMMENTS, MAX_LISTED, planReview, type PlanInput } from "../../src/review/plan.js";
import { renderSeries, type FileSpec } from "../rules/rule-tester.js";

const FILES = 60;
const PER_FILE = 100;

/** One commit, FILES files of PER_FILE added lines each. */
function bigSeries() {
  const files: FileSpec[] = Array.from({ length: FILES }, (_, f) => ({
    path: `arch/x86/mm/f${f}.c`,
    hunk: [" \tint x;", ...Array.from({ length: PER_FILE }, (_, i) => `+\tif (xen_pv_domain()) f${i}();`)].join("\n"),
  }));
  return parseSeries([{ name: "big", bytes: Buffer.from(renderSeries([{ subject: "x86/mm: many", files }])) }]);
}

const series = bigSeries();

/** A finding on every added line (line 11 onwards of each file), `message` repeated to the length asked. */
function findingsOn(n: number, opts: { messageLength?: number; severity?: Finding["severity"] } = {}): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const file = `arch/x86/mm/f${Math.floor(i / PER_FILE) % FILES}.c`;
    const line = 11 + (i % PER_FILE);
    const message = `Xen special case in arch/x86/mm number ${i}. `.padEnd(opts.messageLength ?? 60, "x");
    out.push({ rule: i % 3 === 0 ? "arch-conditional-in-core" : "hv-special-case", severity: opts.severity ?? (i % 2 ? "warning" : "error"), file, line, commitIndex: 0, commit: null, commitSubject: "x86/mm: many", message, fingerprint: fingerprintOf("hv-special-case", file, `${i}`) });
  }
  return out;
}

function input(findings: Finding[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    series,
    findings,
    applied: [],
    posted: { fingerprints: new Set(), heads: new Set() },
    headSha: "b".repeat(40),
    baseSha: "c".repeat(40),
    settings: LINUX_DEFAULTS.app,
    rules: ruleRegistry.map((r) => r.meta),
    unread: [],
    ignoredLabels: [],
    ...over,
  };
}

describe("caps per review", () => {
  const findings = findingsOn(6_000);
  const plan = planReview(input(findings));

  it("annotates at most 200 lines (4 requests of 50), errors first, and says how many there were", () => {
    expect(plan.check.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(MAX_ANNOTATIONS / 50).toBeLessThanOrEqual(4);
    expect(plan.check.annotations.every((a) => a.annotation_level === "failure")).toBe(true);
    expect(plan.check.summary).toContain("the first 200 findings of 6,000");
    expect(plan.check.summary).toContain("patchwarden check --git cccccccccccc..bbbbbbbbbbbb");
  });

  it("posts one review: inline comments capped, the body listing some and counting the rest per rule", () => {
    const review = plan.review!;
    expect(review.comments.length).toBe(Math.min(LINUX_DEFAULTS.app.maxInlineComments, MAX_COMMENTS));
    expect(review.body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(review.body).toContain("6,000 new findings");
    const listed = readMarkers([review.body]).fingerprints.size - review.comments.length;
    expect(listed).toBeGreaterThan(50);
    expect(listed).toBeLessThanOrEqual(MAX_LISTED);
    const counted = 6_000 - review.comments.length - listed;
    expect(review.body).toContain(`### ${counted.toLocaleString("en-US")} more findings, counted here`);
    const perRule = [...review.body.matchAll(/^- \[([a-z-]+)\]\([^)]+\): ([\d,]+) \(/gm)].map((m) => [m[1], Number(m[2]!.replace(/,/g, ""))] as const);
    expect(perRule.map(([rule]) => rule).sort()).toEqual(["arch-conditional-in-core", "hv-special-case"]);
    expect(perRule.reduce((n, [, c]) => n + c, 0)).toBe(counted);
    expect(review.body).toContain("patchwarden check --git");
  });

  it("a commit-message finding is listed, not lost behind thousands of line findings", () => {
    const changelog: Finding = { rule: "changelog-why", severity: "warning", file: null, line: null, commitIndex: 0, commit: null, commitSubject: "x86/mm: many", message: "The changelog does not say why.", fingerprint: "c".repeat(20) };
    const p = planReview(input([...findings, changelog]));
    expect(p.review!.body).toContain("### Commit messages");
    expect(p.review!.body).toContain("The changelog does not say why.");
  });

  it("a hard ceiling on inline comments whatever the config says", () => {
    const many = planReview(input(findings, { settings: { ...LINUX_DEFAULTS.app, maxInlineComments: 1000 } }));
    expect(many.review!.comments).toHaveLength(MAX_COMMENTS);
  });

  it("remembers every finding it reported, listed or counted, so the next push posts nothing new", () => {
    const posted = readMarkers([plan.review!.body]);
    expect(findings.every((f) => wasPosted(posted, f.fingerprint))).toBe(true);
    // The listed ones exactly; the counted ones in the filter.
    expect(posted.fingerprints.size).toBeLessThanOrEqual(plan.review!.comments.length + MAX_LISTED);
    expect(planReview(input(findings, { posted })).review).toBeNull();
    const extra = findingsOn(6_001).at(-1)!;
    const next = planReview(input([...findings, extra], { posted }));
    expect(next.review!.body).toContain("1 new finding");
  });

  it("the filter rarely takes a new finding for a posted one", () => {
    const posted = readMarkers([plan.review!.body]);
    let wrong = 0;
    for (let i = 0; i < 20_000; i++) if (wasPosted(posted, fingerprintOf("other", null, `${i}`))) wrong++;
    expect(wrong).toBeLessThan(20);
  });

  it("the check's text lists what fits and counts the rest", () => {
    expect(plan.check.text.length).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    expect(plan.check.text).toMatch(/\*\*[\d,]+ more findings not listed\*\*/);
    expect(plan.check.text).toContain("patchwarden check --git");
    expect(plan.check.summary.length).toBeLessThanOrEqual(MAX_CHECK_TEXT);
  });

  it("3,100 findings and long messages still make a review GitHub takes", () => {
    const long = planReview(input(findingsOn(3_100, { messageLength: 5_000 })));
    expect(long.review!.body.length).toBeLessThanOrEqual(MAX_BODY);
    // Listing stops while there is room for the counts: nothing needs cutting.
    expect(long.review!.body).toContain("more findings, counted here");
    expect(long.review!.body).not.toContain("cut here");
    for (const c of long.review!.comments) expect(c.body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(long.check.text.length).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    // The marker survives the cut: it is what makes the next run quiet.
    expect(readMarkers([long.review!.body]).heads).toEqual(new Set(["b".repeat(40)]));
  });

  it("a message too long for any field is cut with a note in every place it appears", () => {
    const huge = findingsOn(1, { messageLength: 200_000 });
    const p = planReview(input(huge));
    expect(p.check.annotations[0]!.message.length).toBeLessThanOrEqual(4_000);
    expect(p.review!.comments[0]!.body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(p.review!.comments[0]!.body).toContain("cut here");
    expect(p.review!.comments[0]!.body).toContain("<!-- patchwarden:fp=");
    expect(p.check.text.length).toBeLessThanOrEqual(MAX_CHECK_TEXT);
  });
});

describe("GitHub's limits", () => {
  it("a config with 20,000 schema errors still gives a failing check that says what is wrong", () => {
    const message = Array.from({ length: 20_000 }, (_, i) => `rules.r${i}.severity: must be one of error, warning, info`).join("; ");
    const check = failingCheck("Invalid configuration in .github/patchwarden.yml", `patchwarden could not use \`.github/patchwarden.yml\`:\n\n> ${message}\n\nFix the file.`);
    expect(check.conclusion).toBe("failure");
    expect(check.summary.length).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    expect(check.summary).toContain("rules.r0.severity: must be one of error, warning, info");
    expect(check.summary).toMatch(/cut here: GitHub limits this field to 65535 characters\.$/);
  });

  it("titles fit in 255 characters, annotations in 200", () => {
    const check = fitCheck({
      conclusion: "neutral",
      title: "t".repeat(1_000),
      summary: "",
      text: "",
      annotations: Array.from({ length: 300 }, () => ({ path: "a.c", start_line: 1, end_line: 1, annotation_level: "notice" as const, title: "x".repeat(300), message: "m" })),
    });
    expect(check.title.length).toBe(MAX_TITLE);
    expect(check.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(check.annotations[0]!.title.length).toBe(MAX_TITLE);
  });

  it("cuts at a line end near the limit and never splits a surrogate pair", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${"y".repeat(50)}`).join("\n");
    const cut = fitText(lines, 1_000, "cut");
    expect(cut.length).toBeLessThanOrEqual(1_000);
    expect(cut).toMatch(/y\n\ncut$/);
    const emoji = "😀".repeat(100);
    for (const max of [11, 12, 13, 50, 51]) {
      expect(fitText(emoji, max, "").replace(/\n/g, "")).not.toMatch(/[\ud800-\udbff]$/);
      expect(fitLine(emoji, max)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });
});
