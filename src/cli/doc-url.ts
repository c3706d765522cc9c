import { DOC_BASE_URL } from "../config/doc-base.js";

/** A rule's doc page under `base` (the config's app.docBaseUrl). */
export function docUrlFor(rule: string, base = DOC_BASE_URL): string {
  return `${base.endsWith("/") ? base : `${base}/`}rules/${rule}.md`;
}
