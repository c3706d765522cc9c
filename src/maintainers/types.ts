// Shapes shared by the MAINTAINERS reader, its matcher and the path-convention
// fallback, so a caller gets the same answer type whichever source it used.

/** One MAINTAINERS entry: a title line and the `X:\tvalue` lines under it. */
export interface MaintainersSection {
  /** Position among the file's sections, from 0; ties in ranking go to the lower one. */
  index: number;
  /** The title line, e.g. "XEN HYPERVISOR X86". Empty only for fields with no title above them. */
  title: string;
  /** 1-based line of the title (of the first field when there is no title). */
  line: number;
  /** M: "Name <address>" as written. */
  maintainers: string[];
  /** R: designated reviewers. */
  reviewers: string[];
  /** L: lists, with any "(moderated for non-subscribers)" note kept. */
  lists: string[];
  /** S: Supported, Maintained, Odd Fixes, Orphan, Obsolete... as written. */
  statuses: string[];
  /** F: file patterns as written (`dir/` is a tree, `*` and `?` glob one component, `**` any depth). */
  files: string[];
  /** X: exclusions, same syntax as F:. */
  excludes: string[];
  /** N: regular expressions over the whole path, as written (Perl /x syntax). */
  regexes: string[];
  /** K: content regexes; kept for completeness, never used to match paths. */
  keywords: string[];
  /** T: SCM trees. */
  trees: string[];
  /** W: web pages. */
  web: string[];
  /** Q: patchwork. */
  patchwork: string[];
  /** B: bug reporting. */
  bugs: string[];
  /** C: chat. */
  chat: string[];
  /** P: subsystem profile (a person's name in pre-2010 files). */
  profile: string[];
  /** Any other one-letter tag, in file order. */
  other: Array<{ tag: string; value: string }>;
}

export interface MaintainersWarning {
  source: string;
  line: number;
  message: string;
}

export interface MaintainersFile {
  /** Name of what was parsed, for messages. */
  source: string;
  sections: MaintainersSection[];
  /** Things read leniently or skipped: a bad N: regex, an empty F:, a field with no colon. */
  warnings: MaintainersWarning[];
}

/** One subsystem a path belongs to, from MAINTAINERS or from path conventions. */
export interface SubsystemMatch {
  /** Section title ("XEN HYPERVISOR X86") or convention name ("x86/xen"). */
  name: string;
  source: "maintainers" | "convention";
  /** What matched, as written: an F: or N: value, or the convention's directory prefix. */
  pattern: string;
  patternKind: "F" | "N" | "convention";
  /**
   * get_maintainer.pl's pattern depth: components in an F: pattern (`arch/x86/` is 2,
   * `arch/x86/kvm/x86.c` is 4), 0 for an N: match, -1 for a pattern that starts with `*`.
   * Higher is more specific.
   */
  specificity: number;
  /**
   * True when the pattern is at least as deep as the path's directory, i.e. names the
   * file or its own directory (get_maintainer.pl's "exact pattern match").
   */
  exact: boolean;
  /** Directory prefixes ("arch/x86/xen/") the subsystem's own patterns cover; see directoriesOf. */
  directories: string[];
  /** The MAINTAINERS entry, when source is "maintainers". */
  section?: MaintainersSection;
}

/** What a set of changed files is mostly about. */
export interface Topic {
  /** The winning subsystem's name. */
  name: string;
  /** Its most specific match among the files it covers. */
  subsystem: SubsystemMatch;
  /** The input paths that belong to it, in input order. */
  files: string[];
  /** How many input paths there were (after dropping duplicates). */
  total: number;
}
