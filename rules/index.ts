// The registry: one line per rule, sorted by id. Adding a rule touches its
// file, its doc page, its test table and this list.
import { archConditionalInCore } from "./arch-conditional-in-core.js";
import { changelogSubsystem } from "./changelog-subsystem.js";
import { changelogWhy } from "./changelog-why.js";
import { commitReference } from "./commit-reference.js";
import { hvOnlyInterface } from "./hv-only-interface.js";
import { hvSpecialCase } from "./hv-special-case.js";
import { pvOpsGrowth } from "./pv-ops-growth.js";
import { sprawl } from "./sprawl.js";
import type { Rule } from "./types.js";

export const ruleRegistry: Rule[] = [archConditionalInCore, changelogSubsystem, changelogWhy, commitReference, hvOnlyInterface, hvSpecialCase, pvOpsGrowth, sprawl];
