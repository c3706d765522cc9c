// The one contract between rules and every output (text, JSON, SARIF, and
// later the GitHub review): a rule returns findings and knows nothing else.

export type Severity = "error" | "warning" | "info";

export interface Finding {
  /** Stable rule id, e.g. `hv-special-case`. */
  rule: string;
  severity: Severity;
  /** Path in the new tree (old path for deleted files); null for commit-message findings. */
  file: string | null;
  /** New-side line number; null for file- or commit-level findings. */
  line: number | null;
  /** Index into `Series.commits` of the commit that introduced it. */
  commitIndex: number;
  /** Upstream sha of that commit, when known. */
  commit: string | null;
  /** Subject of that commit, for grouping output. */
  commitSubject: string;
  /** What a maintainer would write, with the reason. One paragraph. */
  message: string;
  /** Stable across re-pushes and unrelated line moves (see `fingerprint.ts`). */
  fingerprint: string;
  /**
   * A finer id than the rule, stable like checkpatch's types
   * (`commit-reference/subject-length`): selectable on its own with
   * --rule/--ignore and under `rules:` in the config.
   */
  check?: string;
}

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One line for `patchwarden rules` and SARIF's shortDescription. */
  description: string;
  /** Relative path of the rule's doc page, e.g. `rules/hv-special-case.md`. */
  docPath: string;
  /** "series" for a rule that judges the whole series (reported apart from commit messages). */
  scope?: "series";
  /** The finer ids the rule reports under (`subject-length` for `commit-reference/subject-length`). */
  checks?: string[];
}
