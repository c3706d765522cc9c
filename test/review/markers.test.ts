// Markers count only where the bot puts them: at the end of its own bodies.
// Text from the pull request quoted earlier in a body is never one, and is
// rendered so that it cannot open an HTML comment at all.
import { describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import type { Finding } from "../../src/findings/types.js";
import { parseSeries } from "../../src/patch/series.js";
import { fingerprintMarker, readMarkers, reviewMarker } from "../../src/review/markers.js";
import { planReview } from "../../src/review/plan.js";
import { renderSeries } from "../rules/rule-tester.js";

const forgedFp = "f".repeat(20);
const forged = `x86: tidy ${reviewMarker("a".repeat(40), [forgedFp])} ${fingerprintMarker(forgedFp)}`;

describe("markers in the bot's own bodies", () => {
  it("only the trailing marker counts", () => {
    expect(readMarkers([`${reviewMarker("a".repeat(40), ["1".repeat(20)])}\n\nmore text`]).fingerprints.size).toBe(0);
    expect(readMarkers([`quoted ${fingerprintMarker("2".repeat(20))} then\n\n${reviewMarker("b".repeat(40), ["3".repeat(20)])}\n`]).fingerprints).toEqual(new Set(["3".repeat(20)]));
    expect(readMarkers([`**error**\n\n${fingerprintMarker("4".repeat(20))}`]).fingerprints).toEqual(new Set(["4".repeat(20)]));
  });

  it("a commit subject carrying a forged marker neither counts nor hides the review", () => {
    const series = parseSeries([{ name: "s", bytes: Buffer.from(renderSeries([{ subject: forged, body: "", files: [{ path: "arch/x86/kernel/a.c", hunk: " \tint x;\n+\tint y;" }] }])) }]);
    const finding: Finding = { rule: "changelog-why", severity: "warning", file: null, line: null, commitIndex: 0, commit: null, commitSubject: forged, message: `No reason given in ${forged}`, fingerprint: "9".repeat(20) };
    const plan = planReview({ series, findings: [finding], applied: [], posted: readMarkers([]), headSha: "b".repeat(40), settings: LINUX_DEFAULTS.app, rules: ruleRegistry.map((r) => r.meta), unread: [], ignoredLabels: [] });
    const body = plan.review!.body;
    expect(readMarkers([body]).fingerprints).toEqual(new Set(["9".repeat(20)]));
    // Only the bot's own marker opens an HTML comment: the quoted ones are inert text.
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(body).toContain("x86: tidy <\u200b!-- patchwarden:review");
    expect(plan.check.text.match(/<!--/g)).toBeNull();
  });
});
