import { pathMapFor } from "../config/paths.js";
import type { PatchwardenConfig } from "../config/types.js";
import { viewOf } from "../patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../patch/types.js";
import { fileScopeDeclaration, identifiersIn } from "./c-declarations.js";
import { changedCodeLines } from "./code-lines.js";

// The interfaces a series adds to shared code beyond what a file-scope
// declaration shows: a member of an ops structure (`x86_platform`,
// `x86_init`), a static call, a CPU feature bit, a macro. One reading of the
// series for hv-only-interface and for the tree lookups that ask who uses
// them.

export type InterfaceKind = "member" | "static-call" | "feature-bit" | "macro";

export interface AddedInterface {
  name: string;
  kind: InterfaceKind;
  file: FileChange;
  path: string;
  line: number;
  code: string;
  /** The structure a member belongs to. */
  struct?: string;
}

const DEFINE = /^\s*#\s*define\s+([A-Za-z_]\w*)/;

/** The macro a line of code defines (`#define NAME ...`), or null. */
export function definedMacro(code: string): string | null {
  return DEFINE.exec(code)?.[1] ?? null;
}
const STATIC_CALL = /\bDEFINE_STATIC_CALL(?:_NULL|_RET0)?\s*\(\s*(\w+)/;
/** `X86_FEATURE_VMCALL`, `X86_BUG_...`: a CPU feature or bug bit, whatever the header. */
const FEATURE_BIT = /^X86_(?:FEATURE|BUG)_\w+$/;
/** `_ASM_X86_FOO_H`: an include guard names the header, not an interface. */
const isIncludeGuard = (name: string) => /^[A-Z0-9_]+$/.test(name) && /_H_*$/.test(name);

/** Interfaces the series adds in shared code (in the special-case scope, owned by no hypervisor), not ones it moves. */
export function addedInterfaces(series: Series, config: PatchwardenConfig): AddedInterface[] {
  let cached = cache.get(series);
  if (!cached || cached.config !== config) cache.set(series, (cached = { config, value: compute(series, config) }));
  return cached.value;
}

const cache = new WeakMap<Series, { config: PatchwardenConfig; value: AddedInterface[] }>();

function compute(series: Series, config: PatchwardenConfig): AddedInterface[] {
  const removedNames = new Set<string>();
  const found: AddedInterface[] = [];
  for (const file of series.files) {
    const part = interfacesOfFile(file, config);
    for (const name of part.removedNames) removedNames.add(name);
    found.push(...part.added);
  }
  // Removed and added again (moved between headers, retyped) is not new.
  return found.filter((i) => !removedNames.has(i.name));
}

/**
 * One file's part of addedInterfaces: the names its removed lines define
 * and the interfaces its added lines add, worked out once per file and
 * config. A git range's files are given it as they arrive (hv-only-interface
 * warms them), so that only the series-wide step is left at the end.
 */
export function interfacesOfFile(file: FileChange, config: PatchwardenConfig): FileInterfaces {
  let cached = byFile.get(file);
  if (!cached || cached.config !== config) byFile.set(file, (cached = { config, value: computeFile(file, config) }));
  return cached.value;
}

export interface FileInterfaces {
  removedNames: readonly string[];
  added: readonly AddedInterface[];
}

const NONE: FileInterfaces = Object.freeze({ removedNames: Object.freeze([]), added: Object.freeze([]) });
const byFile = new WeakMap<FileChange, { config: PatchwardenConfig; value: FileInterfaces }>();

function computeFile(file: FileChange, config: PatchwardenConfig): FileInterfaces {
  const path = displayPath(file);
  if (file.binary || !/\.(c|h)$/.test(path)) return NONE;
  const paths = pathMapFor(config);
  const removedNames: string[] = [];
  const found: AddedInterface[] = [];
  const view = viewOf(file, config.limits.maxParseBytes);
  for (const c of changedCodeLines(view, "old")) removedNames.push(...namesDefinedBy(c.code));
  if (!paths.inSpecialCaseScope(path) || paths.ownersOf(path).length > 0) return { removedNames, added: found };
  for (const c of changedCodeLines(view, "new")) {
    const line = c.line.newLine!;
    const define = DEFINE.exec(c.code);
    if (define) {
      const name = define[1]!;
      if (isIncludeGuard(name)) continue;
      found.push({ name, kind: FEATURE_BIT.test(name) ? "feature-bit" : "macro", file, path, line, code: c.code });
      continue;
    }
    const call = STATIC_CALL.exec(c.code);
    if (call) {
      found.push({ name: call[1]!, kind: "static-call", file, path, line, code: c.code });
      continue;
    }
    // A function pointer in a structure: a hook that whoever fills in the
    // structure sets. Tested on the text first: asking for the structure
    // parses the hunk, and most added lines are no function pointer.
    if (!/\(\s*\*\s*\w+\s*\)\s*\(/.test(c.code)) continue;
    const member = view.structMemberAt(line);
    if (member?.struct && member.member) {
      found.push({ name: member.member, kind: "member", struct: member.struct, file, path, line, code: c.code });
    }
  }
  return { removedNames, added: found };
}

function namesDefinedBy(code: string): string[] {
  const define = DEFINE.exec(code);
  if (define) return [define[1]!];
  const call = STATIC_CALL.exec(code);
  if (call) return [call[1]!];
  const fp = /\(\s*\*\s*(\w+)\s*\)\s*\(/.exec(code);
  if (fp) return [fp[1]!];
  const decl = fileScopeDeclaration(code);
  return decl ? [decl.name] : [];
}

/**
 * Names worth asking the tree about: every interface the series adds to
 * shared code, and every symbol it declares there without `static` (made
 * global, exported, a hook). Capped: the rest is not looked up, and the
 * lookup says so.
 */
export function namesToLookUp(series: Series, config: PatchwardenConfig): string[] {
  const paths = pathMapFor(config);
  const names = new Set<string>();
  for (const i of addedInterfaces(series, config)) if (i.kind !== "macro") names.add(i.name);
  const declaredIn = new Map<string, Set<string>>();
  const sharedUses: { path: string; ids: string[] }[] = [];
  for (const file of series.files) {
    const path = displayPath(file);
    if (file.binary || !/\.(c|h)$/.test(path) || !paths.inSpecialCaseScope(path) || paths.ownersOf(path).length > 0) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    for (const c of changedCodeLines(view, "new")) {
      const decl = fileScopeDeclaration(c.code);
      if (decl) {
        if (!decl.isStatic) names.add(decl.name);
        const files = declaredIn.get(decl.name) ?? new Set<string>();
        declaredIn.set(decl.name, files.add(path));
      } else sharedUses.push({ path, ids: identifiersIn(c.code) });
    }
  }
  // A function the series itself calls from shared code outside its own
  // files has a shared user already: the tree cannot make it one
  // hypervisor's, so it is not looked up.
  const usedInShared = new Set<string>();
  for (const u of sharedUses) for (const id of u.ids) if (declaredIn.has(id) && !declaredIn.get(id)!.has(u.path)) usedInShared.add(id);
  const always = new Set(addedInterfaces(series, config).map((i) => i.name));
  return [...names].filter((n) => n.length >= 3 && (always.has(n) || !usedInShared.has(n)));
}

/** Whether a line of code assigns a member: `.name = fn,` in an initialiser, `x86_platform.name = fn;`, `ops->name = fn;`. */
export function assignsMember(code: string, member: string): boolean {
  const at = code.indexOf(member);
  if (at <= 0) return false;
  const before = code.slice(0, at).trimEnd();
  if (!before.endsWith(".") && !before.endsWith("->")) return false;
  return /^\s*=(?!=)/.test(code.slice(at + member.length));
}

/** `static_call_update(name, fn)`: who replaces a static call's default. */
export function updatesStaticCall(code: string, name: string): boolean {
  const m = /\bstatic_call_update\s*\(\s*(\w+)/.exec(code);
  return m?.[1] === name;
}
