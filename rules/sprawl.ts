import { seriesTopic } from "../src/analysis/topic.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { displayPath, type Series } from "../src/patch/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "sprawl",
  defaultSeverity: "warning",
  description: "The share of the series' changed files that lie outside its topic subsystem: info below the threshold, warning above.",
  docPath: "rules/sprawl.md",
  scope: "series",
};

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const topic = seriesTopic(series, config);
  if (!topic) return [];
  // One commit that touches two subsystems is not a series reaching out; its
  // reviewers see every file anyway. Unless someone named the topic.
  if (!topic.explicit && series.commits.filter((c) => !c.isCoverLetter && c.files.length > 0).length < 2) return [];
  const paths = [...new Set(series.files.map(displayPath))].filter((p) => !p.startsWith("Documentation/"));
  if (paths.length === 0) return [];
  const foreign = paths.filter((p) => !topic.covers(p));
  if (foreign.length === 0) return [];
  const share = foreign.length / paths.length;
  const above = share > config.sprawlThreshold;
  // A topic guessed from path conventions alone (no MAINTAINERS, none named)
  // is often the wrong subsystem: over 5,000 linux-hyperv mails, one series in
  // five was told it sprawled out of "selftests" or "hyperv" while it was
  // vsock or mm work. Without MAINTAINERS the figure is a judgement call.
  const guessed = !topic.explicit && config.subsystemMap === undefined;
  const firstForeign = series.files.find((f) => foreign.includes(displayPath(f)))!;
  const listed = foreign.length > 10 ? `${foreign.slice(0, 10).join(", ")} and ${foreign.length - 10} more` : foreign.join(", ");
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const how = topic.explicit ? "the topic given" : guessed ? "the subsystem most of its commits belong to, guessed from paths: give MAINTAINERS to be sure" : "the subsystem most of its commits belong to";
  return [
    makeFinding(meta, series, config, {
      commitIndex: firstForeign.commitIndex,
      file: null,
      line: null,
      severity: above && !guessed ? "warning" : "info",
      message:
        `${foreign.length} of the series' ${paths.length} changed files (${pct(share)}) lie outside ${topic.name} (${how}): ${listed}. ` +
        (above
          ? `That is above the ${pct(config.sprawlThreshold)} threshold: a ${topic.name} series reaching this far into other code needs those subsystems' maintainers' review, and often a hook in ${topic.name}'s own code instead.`
          : `Each of those changes needs its owners' review, and its changelog should say why ${topic.name} needs it.`),
      anchor: `${topic.name}\0${foreign.join("\0")}`,
    }),
  ];
}

export const sprawl: Rule = { meta, check };
