import type { Severity } from "../findings/types.js";
import type { SubsystemMap } from "../maintainers/index.js";

/** How one hypervisor is recognised in code, and where its own code lives. */
export interface HypervisorConfig {
  /** Short id used in messages and keys: `xen`, `kvm`, `hyperv`, `vmware`, `generic`. */
  id: string;
  /** How a maintainer names it in prose: `Xen`, `Hyper-V`. */
  name: string;
  /** Globs of the directories and files that are this hypervisor's own. */
  ownPaths: string[];
  /** Predicate functions: any call is a test for this hypervisor (`xen_pv_domain`). */
  predicateCalls: string[];
  /** Kconfig symbols, as regular expressions over the `CONFIG_` name (`CONFIG_XEN\\w*`). */
  configSymbols: string[];
  /** CPU feature bits that mean this hypervisor (`X86_FEATURE_XENPV`). */
  featureBits: string[];
  /** Hypervisor type constants compared against (`X86_HYPER_XEN_PV`). */
  typeConstants: string[];
  /** Where the hook that should replace a special case usually lives, for the message. */
  suggestion: string;
  /** A better suggestion for files under some paths (the x86 hooks for arch/x86/); first match wins, else `suggestion`. */
  suggestions?: { paths: string[]; text: string }[];
  /** Regular expressions (case-insensitive) for the ways a changelog names this hypervisor. */
  aliases: string[];
}

export interface RuleSettings {
  /** Turn a rule off for this tree. */
  enabled?: boolean;
  severity?: Severity;
  /** A check's limit, where it has one: the longest subject `commit-reference/subject-length` lets pass. */
  max?: number;
}

/** How the GitHub App reviews pull requests (ignored by the command line). */
export interface AppSettings {
  /** Review draft pull requests too. */
  reviewDrafts: boolean;
  /** The review's event: COMMENT leaves the verdict to the check run. */
  reviewEvent: "COMMENT" | "REQUEST_CHANGES";
  /** Inline comments per review; the rest are summarised in the review body. */
  maxInlineComments: number;
  /** Label → rule ids it overrides ("*" for every rule). */
  overrideLabels: Record<string, string[]>;
  /** Lowest repository role whose labels count: maintain (default), write or admin. */
  overridePermission: "write" | "maintain" | "admin";
  /** Logins whose labels count whatever their role. */
  maintainers: string[];
  /** Base URL of the rule pages linked from comments. */
  docBaseUrl: string;
}

export interface PatchwardenConfig {
  hypervisors: HypervisorConfig[];
  /**
   * Globs of code where a hypervisor special case is a finding: arch code,
   * core code, and the core files of driver subsystems.
   */
  specialCaseScope: string[];
  /** Globs excluded from that scope even when they match it (device drivers, tools). */
  specialCaseExclude: string[];
  /** Globs of core (architecture-independent) code. */
  corePaths: string[];
  /** Architecture Kconfig symbols, as regular expressions over the name (`CONFIG_X86\\w*`). */
  archConfigSymbols: string[];
  /** Regular expressions over a struct's name: a new member of one grows the paravirt interface. */
  paravirtOpsStructs: string[];
  /** Functions whose argument is a CPU feature bit being tested. */
  featureTestCalls: string[];
  /** Macro names that patch code on a feature bit (`ALTERNATIVE`). */
  alternativeMacros: string[];
  /** The series' topic subsystem, when known (`--topic`, the branch name, a label). */
  topic?: string;
  /**
   * Subsystems from the tree's MAINTAINERS file, set by the caller that read
   * it (never from the config file); path conventions when absent.
   */
  subsystemMap?: SubsystemMap;
  /** Share of a series' files outside its topic above which `sprawl` warns (0..1). */
  sprawlThreshold: number;
  rules: Record<string, RuleSettings>;
  app: AppSettings;
  limits: {
    maxInputBytes: number;
    maxHunkLines: number;
    /** Largest C snippet handed to tree-sitter, in bytes; larger hunks get line-level handling. */
    maxParseBytes: number;
    /** Lines longer than this are checked line by line but not parsed as C. */
    maxLineBytes: number;
    /** Time one C snippet's parse may take, in milliseconds. */
    parseTimeoutMs: number;
    /** Time all parses of one series may take together, in milliseconds. */
    seriesParseMs: number;
    /** Conditions, functions and structs nested deeper than this are not tracked. */
    maxNestingDepth: number;
  };
}
