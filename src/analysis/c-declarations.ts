// File-scope declarations recognised from one line of code. Kernel style
// starts every file-scope declaration at column 0 and indents everything
// else, which makes this reliable where a parser of a partial hunk is not
// (`void __init foo(void)` at the top of a hunk often parses as an ERROR).

export type DeclarationKind = "function" | "variable" | "hook" | "export";

export interface Declaration {
  name: string;
  kind: DeclarationKind;
  isStatic: boolean;
  isExtern: boolean;
  isWeak: boolean;
  /** A definition (body or initialiser or storage), not only a declaration. */
  isDefinition: boolean;
}

const NOT_A_TYPE = /^(return|typedef|if|else|for|while|do|switch|case|goto|sizeof)$/;
const MACRO_CALL = /^[A-Z][A-Z0-9_]*$/;

export function fileScopeDeclaration(code: string): Declaration | null {
  if (code === "" || /^\s/.test(code) || code.startsWith("#") || code.startsWith("}")) return null;
  const exported = code.match(/^EXPORT_SYMBOL(?:_GPL)?(?:_NS(?:_GPL)?)?\s*\(\s*(\w+)/);
  if (exported) return { name: exported[1]!, kind: "export", isStatic: false, isExtern: false, isWeak: false, isDefinition: false };

  const hook = code.match(/^((?:[A-Za-z_]\w*[\s*]+)+)\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(/);
  if (hook) {
    const prefix = hook[1]!;
    if (/\btypedef\b/.test(prefix)) return null;
    return declaration(hook[2]!, "hook", prefix, /=/.test(code.slice(hook[0].length)) || !/\bextern\b/.test(prefix));
  }

  const fn = code.match(/^((?:[A-Za-z_]\w*(?:\s*\([^()]*\))?[\s*]+)+)\**([A-Za-z_]\w*)\s*\(/);
  if (fn) {
    const prefix = fn[1]!;
    const words = prefix.trim().split(/[\s*]+/);
    if (words.some((w) => NOT_A_TYPE.test(w)) || words.every((w) => MACRO_CALL.test(w))) return null;
    const isPrototype = /\)\s*;\s*$/.test(code);
    return declaration(fn[2]!, "function", prefix, !isPrototype && !/\bextern\b/.test(prefix));
  }

  const variable = code.match(/^((?:[A-Za-z_]\w*[\s*]+)+)\**([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?:__\w+(?:\([^)]*\))?\s*)*(=|;|,)/);
  if (variable) {
    const prefix = variable[1]!;
    const words = prefix.trim().split(/[\s*]+/);
    if (words.some((w) => NOT_A_TYPE.test(w)) || /\b(struct|union|enum)\s*$/.test(prefix)) return null;
    return declaration(variable[2]!, "variable", prefix, !/\bextern\b/.test(prefix));
  }
  return null;
}

function declaration(name: string, kind: DeclarationKind, prefix: string, isDefinition: boolean): Declaration {
  return {
    name,
    kind,
    isStatic: /\bstatic\b/.test(prefix),
    isExtern: /\bextern\b/.test(prefix),
    isWeak: /\b__weak\b|\bweak\b/.test(prefix),
    isDefinition,
  };
}

/** Identifiers in a line of code (comments already blanked, strings emptied). */
export function identifiersIn(code: string): string[] {
  return code.match(/[A-Za-z_]\w*/g) ?? [];
}
