import { changedCodeLines } from "../src/analysis/code-lines.js";
import { opsStructInCodeRegex, opsStructNameRegex } from "../src/config/config-regexes.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../src/patch/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "pv-ops-growth",
  defaultSeverity: "warning",
  description: "A new member in a paravirt ops structure (struct pv_*_ops, pv_info, ...): the paravirt interface grows.",
  docPath: "rules/pv-ops-growth.md",
};

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const structRe = opsStructNameRegex(config.paravirtOpsStructs);
  const namedInCode = opsStructInCodeRegex(config.paravirtOpsStructs);
  const findings: Finding[] = [];
  // Read only once a new member is found: collected up front, it walked every
  // line of a 1,781-commit range (80 ms) to check none.
  let removed: string[] | null = null;
  const removedText = () => (removed ??= series.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === "removed").map((l) => l.text))));
  for (const file of series.files) {
    if (file.binary || !/\.(c|h)$/.test(displayPath(file)) || !mentionsOpsStruct(file, namedInCode)) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    const seen = new Set<string>();
    for (const code of changedCodeLines(view, "new")) {
      const member = view.structMemberAt(code.line.newLine!);
      if (!member?.struct || !member.member || !structRe.test(member.struct)) continue;
      if (/^\s*#/.test(code.code)) continue;
      const key = `${member.struct}.${member.member}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A member that the series removes elsewhere is moved or retyped, not new.
      const moved = new RegExp(`\\b${member.member}\\b`);
      if (removedText().some((t) => moved.test(t) && endsStatement(t))) continue;
      findings.push(
        makeFinding(meta, series, config, {
          commitIndex: file.commitIndex,
          file: displayPath(file),
          line: code.line.newLine!,
          message:
            `Adds member "${member.member}" to struct ${member.struct}: the paravirt interface grows. Every pv op is an indirect call or patch site that ` +
            `native hardware pays for and every hypervisor must keep working; say in the changelog which hypervisors need it and why an existing op, ` +
            // arm64 has pv ops too (pv_time_ops): x86's hooks are named only to x86 code.
            `${displayPath(file).startsWith("arch/x86/") ? "an x86_platform/x86_init hook" : "a platform hook"}, or code in the hypervisor's own directory cannot do the job.`,
          anchor: key,
        }),
      );
    }
  }
  return findings;
}

/** A member can only be in an ops structure whose name the hunk shows (its `struct x {` line or git's section). */
function mentionsOpsStruct(file: FileChange, named: RegExp): boolean {
  return file.hunks.some((h) => named.test(h.section) || h.lines.some((l) => l.kind !== "removed" && named.test(l.text)));
}

export const pvOpsGrowth: Rule = { meta, check };

// `int (*op)(void);`, with or without a comment after it: a whole member declaration.
function endsStatement(text: string): boolean {
  const comment = text.indexOf("/*");
  return (comment < 0 ? text : text.slice(0, comment)).trimEnd().endsWith(";");
}
