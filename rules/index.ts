// The registry: one line per rule, sorted by id. Adding a rule touches its
// file, its doc page, its test table and this list.
import { hvSpecialCase } from "./hv-special-case.js";
import type { Rule } from "./types.js";

export const ruleRegistry: Rule[] = [hvSpecialCase];
