import type { PatchwardenConfig } from "../config/types.js";
import type { Series } from "../patch/types.js";
import { fingerprintOf } from "./fingerprint.js";
import type { Finding, RuleMeta, Severity } from "./types.js";

export interface FindingSpec {
  commitIndex: number;
  file: string | null;
  line: number | null;
  message: string;
  /** What the finding is about, for its fingerprint: usually the line's code plus the matched token. */
  anchor: string;
  /** Overrides the rule's default severity (before the config's override). */
  severity?: Severity;
  /** The finer id within the rule (one of `meta.checks`). */
  check?: string;
}

/** Builds a finding with the severity the config asks for and a stable fingerprint. */
export function makeFinding(meta: RuleMeta, series: Series, config: PatchwardenConfig, spec: FindingSpec): Finding {
  const commit = series.commits[spec.commitIndex];
  const check = spec.check === undefined ? undefined : `${meta.id}/${spec.check}`;
  return {
    rule: meta.id,
    severity: (check && config.rules[check]?.severity) || (config.rules[meta.id]?.severity ?? spec.severity ?? meta.defaultSeverity),
    file: spec.file,
    line: spec.line,
    commitIndex: spec.commitIndex,
    commit: commit?.sha ?? null,
    commitSubject: commit?.subject ?? "",
    message: spec.message,
    fingerprint: fingerprintOf(meta.id, spec.file, spec.anchor),
    ...(check === undefined ? {} : { check }),
  };
}
