// Reads a Linux MAINTAINERS file the way scripts/get_maintainer.pl does:
// a field is a line `X:<spaces or tabs>value` with X one capital letter at
// column 0; a section is a run of fields, titled by the last non-field line
// before it. Blank lines and `#` comments are skipped, so they neither end a
// section nor title one. That one rule also disposes of the preamble: its
// prose (and the indented `\tF: ...` examples in it) never precedes a field,
// so it never becomes a section.
import { compileNRegex } from "./patterns.js";
import type { MaintainersFile, MaintainersSection, MaintainersWarning } from "./types.js";

const FIELD = /^([A-Z]):[ \t]*([^]*)/;
// Old files have the odd "M\taddress": a tab where the colon should be. A
// title never has a lone capital then a tab, so read it as the field it meant.
const FIELD_NO_COLON = /^([A-Z])\t+([^]*)/;

type ListKey = Exclude<keyof MaintainersSection, "index" | "title" | "line" | "other">;

const TAGS: Record<string, ListKey> = {
  M: "maintainers",
  R: "reviewers",
  L: "lists",
  S: "statuses",
  F: "files",
  X: "excludes",
  N: "regexes",
  K: "keywords",
  T: "trees",
  W: "web",
  Q: "patchwork",
  B: "bugs",
  C: "chat",
  P: "profile",
};

function newSection(index: number, title: string, line: number): MaintainersSection {
  return {
    index,
    title,
    line,
    maintainers: [],
    reviewers: [],
    lists: [],
    statuses: [],
    files: [],
    excludes: [],
    regexes: [],
    keywords: [],
    trees: [],
    web: [],
    patchwork: [],
    bugs: [],
    chat: [],
    profile: [],
    other: [],
  };
}

export function parseMaintainers(text: string, source: string): MaintainersFile {
  const sections: MaintainersSection[] = [];
  const warnings: MaintainersWarning[] = [];
  const warn = (line: number, message: string): void => {
    warnings.push({ source, line, message });
  };

  // The last non-field line seen, and whether a field has come since.
  let title: string | null = null;
  let titleLine = 0;
  let current: MaintainersSection | null = null;

  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "" || /^\s*#/.test(line)) continue;

    let m = FIELD.exec(line);
    if (!m) {
      m = FIELD_NO_COLON.exec(line);
      if (m) warn(lineNo, `"${m[1]}" field without a colon, read as "${m[1]}:"`);
    }
    if (!m) {
      title = line.trim();
      titleLine = lineNo;
      current = null;
      continue;
    }

    if (!current) {
      if (title === null) warn(lineNo, "field before any section title");
      current = newSection(sections.length, title ?? "", title === null ? lineNo : titleLine);
      sections.push(current);
      title = null;
    }
    const tag = m[1]!;
    const value = m[2]!.trim();
    const key = TAGS[tag];
    if (!key) {
      warn(lineNo, `unknown field "${tag}:"`);
      current.other.push({ tag, value });
      continue;
    }
    if (value === "") {
      warn(lineNo, `empty "${tag}:" field`);
      continue;
    }
    if (tag === "N") {
      const re = compileNRegex(value);
      if (typeof re === "string") {
        // Kept in the section so it is visible, but the matcher will skip it.
        warn(lineNo, `N: regex ${JSON.stringify(value)} does not compile: ${re}`);
      }
    }
    current[key].push(value);
  }
  return { source, sections, warnings };
}
