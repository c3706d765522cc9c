// SARIF 2.1.0 for GitHub code scanning. Only the subset GitHub reads is
// emitted; everything else (timestamps, invocations, machine paths) is left
// out so the same findings always give byte-identical output.

import { trimEndChar } from "../util/text.js";
import type { Finding, RuleMeta, Severity } from "../findings/types.js";
import { cmp, sortFindings } from "../findings/order.js";

export interface SarifOptions {
  rules: RuleMeta[];
  toolVersion: string;
  /** Prefix for each rule's docPath; must point at a tree of the rule docs. */
  docBaseUrl?: string;
}

export { DOC_BASE_URL as DEFAULT_DOC_BASE_URL } from "../config/doc-base.js";
import { DOC_BASE_URL as DEFAULT_DOC_BASE_URL } from "../config/doc-base.js";
const INFORMATION_URI = "https://github.com/patchwarden/patchwarden";

/**
 * Commit-message findings have no file, but GitHub rejects results without a
 * location. `COMMIT_MSG` is the pseudo-path Gerrit uses for the commit message,
 * so reviewers recognise it, and no kernel tree has a top-level file by that
 * name, so the alert cannot be mistaken for one about real source.
 */
export const COMMIT_MSG_URI = "COMMIT_MSG";

/** partialFingerprints key; bump the version if the fingerprint algorithm changes. */
export const FINGERPRINT_KEY = "patchwarden/v1";

type SarifLevel = "error" | "warning" | "note";

const LEVEL: Record<Severity, SarifLevel> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** `hv-special-case` -> `HvSpecialCase`: SARIF's `name` is meant to be an identifier. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

function helpUri(base: string, docPath: string): string {
  // Joined by hand: `new URL(path, base)` would drop base's last segment when
  // it lacks a trailing slash.
  return `${trimEndChar(base, "/")}/${docPath.replace(/^\/+/, "")}`;
}


function reportingDescriptor(rule: RuleMeta, docBaseUrl: string) {
  const uri = helpUri(docBaseUrl, rule.docPath);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    // RuleMeta has only one description; the doc page carries the long form.
    fullDescription: { text: rule.description },
    // GitHub shows `help` in the alert panel and requires it; helpUri alone is not enough.
    help: {
      text: `${rule.description}\n\nSee ${uri}`,
      markdown: `${rule.description}\n\nSee [${rule.docPath}](${uri}).`,
    },
    helpUri: uri,
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    // CodeQL's tag for non-security quality rules; "security" would file these
    // findings as security alerts, which they are not.
    properties: { tags: ["maintainability"] },
  };
}

function physicalLocation(f: Finding) {
  const artifactLocation = { uri: f.file ?? COMMIT_MSG_URI, uriBaseId: "%SRCROOT%" };
  return f.line === null
    ? { artifactLocation }
    : { artifactLocation, region: { startLine: f.line } };
}

function result(f: Finding, ruleIndex: Map<string, number>) {
  const index = ruleIndex.get(f.rule);
  return {
    ruleId: f.rule,
    // A finding from a rule missing in opts.rules still gets reported; it just
    // cannot point at a descriptor.
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f) }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
}

export function formatSarif(findings: Finding[], opts: SarifOptions): string {
  const rules = [...opts.rules].sort((a, b) => cmp(a.id, b.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i] as const));
  const docBaseUrl = opts.docBaseUrl ?? DEFAULT_DOC_BASE_URL;
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "patchwarden",
            version: opts.toolVersion,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => reportingDescriptor(r, docBaseUrl)),
          },
        },
        results: sortFindings(findings).map((f) => result(f, ruleIndex)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
