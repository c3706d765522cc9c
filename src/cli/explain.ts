// `check --verbose`: the long explanation of each rule that fired, once per
// rule, as checkpatch prints its types' documentation. The text is the rule's
// doc page (its "Why" section), so there is one source for it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { packageRoot } from "../util/package-root.js";

/** rules/ at the top of the package, where it keeps the doc pages (beside dist/). */
const RULES_DIR = `${path.join(packageRoot() ?? ".", "rules")}/`;

/** rules/<id>.md as installed, or null when this copy has no such page. */
export async function rulePage(ruleId: string, dir = RULES_DIR): Promise<string | null> {
  try {
    return await readFile(`${dir}${ruleId}.md`, "utf8");
  } catch {
    return null;
  }
}

/** The "## Why" section of rules/<id>.md, or null when the page or section is missing. */
export async function explanationOf(ruleId: string, dir = RULES_DIR): Promise<string | null> {
  const page = await rulePage(ruleId, dir);
  if (page === null) return null;
  const lines = page.split("\n");
  const start = lines.findIndex((l) => /^## Why\s*$/.test(l));
  if (start < 0) return null;
  let end = lines.findIndex((l, k) => k > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const text = lines.slice(start + 1, end).join("\n").trim();
  return text === "" ? null : text;
}

/** Each fired rule's explanation, in the order the rules first appear, for the end of the text output. */
export async function explanations(ruleIds: string[]): Promise<string> {
  const out: string[] = [];
  for (const id of [...new Set(ruleIds)]) {
    const text = await explanationOf(id);
    if (text) out.push(`[${id}]\n${text}`);
  }
  return out.length ? `\n${out.join("\n\n")}\n` : "";
}
