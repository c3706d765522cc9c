import { changedCodeLines, type ChangedCodeLine } from "../src/analysis/code-lines.js";
import { isConfigConditional } from "../src/analysis/hv-tests.js";
import { normalizeCode, unpairedAdditions } from "../src/analysis/pairing.js";
import { archSymbolsRegex } from "../src/config/config-regexes.js";
import { pathMapFor } from "../src/config/paths.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../src/patch/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "arch-conditional-in-core",
  defaultSeverity: "error",
  description: "An architecture conditional (#ifdef CONFIG_X86, IS_ENABLED(CONFIG_ARM64), ...) added to core code.",
  docPath: "rules/arch-conditional-in-core.md",
};

interface Occurrence {
  file: FileChange;
  path: string;
  code: ChangedCodeLine;
  symbols: string[];
  key: string;
  normalized: string;
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const paths = pathMapFor(config);
  const symbolRe = archSymbolsRegex(config.archConfigSymbols);
  const added: Occurrence[] = [];
  const removed: Occurrence[] = [];
  for (const file of series.files) {
    const path = displayPath(file);
    if (file.binary || !paths.isCore(path)) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    for (const [side, into] of [["new", added], ["old", removed]] as const) {
      for (const code of changedCodeLines(view, side)) {
        const symbols = [...code.code.matchAll(symbolRe)].filter((m) => isConfigConditional(code, m.index)).map((m) => m[0]);
        if (symbols.length === 0) continue;
        into.push({ file, path, code, symbols: [...new Set(symbols)], key: archOf(symbols[0]!), normalized: normalizeCode(code.code) });
      }
    }
  }
  return unpairedAdditions(added, removed).map((o) =>
    makeFinding(meta, series, config, {
      commitIndex: o.file.commitIndex,
      file: o.path,
      line: o.code.line.newLine!,
      message:
        `Adds an architecture conditional (${o.symbols.join(", ")}) to core code (${o.path}). Core code does not know which architecture it runs on: ` +
        `there is no #ifdef CONFIG_ARM in mm/, fs/, kernel/ or block/. Give the architectures a hook instead (an arch_*() function with a generic ` +
        `default in include/asm-generic or include/linux, a Kconfig ARCH_HAS_/ARCH_WANTS_ symbol the architecture selects).`,
      anchor: `${o.key}\0${o.normalized}`,
    }),
  );
}

/** CONFIG_X86_64 and CONFIG_X86 are the same architecture for pairing moved checks. */
function archOf(symbol: string): string {
  return symbol.replace(/^CONFIG_/, "").split("_")[0]!;
}

export const archConditionalInCore: Rule = { meta, check };
