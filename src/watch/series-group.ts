import { parseSubject } from "../patch/message.js";

// Which mails of a list archive make one series, the way b4 and the list's
// readers see them: `[PATCH vN m/n]` mails threaded under their cover
// letter (0/n) or under patch 1/n, one version at a time. A series is
// complete when patches 1..n are all there; a newer version of the same
// series (same author, same subject) supersedes an older one still waiting.

export interface ArchivedMail {
  /** Where the archive keeps it: `<epoch>:<commit>`, to read it again. */
  ref: string;
  messageId: string;
  references: string[];
  rawSubject: string;
  author: string;
  /** Seconds since the epoch (the Date: header), null when unreadable. */
  date: number | null;
}

export interface PatchTag {
  version: number;
  index: number;
  total: number;
  subject: string;
}

/** `[PATCH v3 2/5] x86: foo` → version 3, index 2, total 5; a bare `[PATCH] x86: foo` is 1/1. Null for a reply or a mail not tagged as a patch. */
export function patchTag(rawSubject: string): PatchTag | null {
  if (/^\s*(?:re|aw|sv|fwd?)\s*:/i.test(rawSubject)) return null;
  const groups: string[] = [];
  let s = rawSubject.trim();
  while (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end === -1) break;
    groups.push(s.slice(1, end));
    s = s.slice(end + 1).trimStart();
  }
  const tag = groups.find((g) => /\b(?:PATCH|RFC)\b/i.test(g));
  if (!tag) return null;
  const version = Number(/\bv(\d{1,3})\b/i.exec(tag)?.[1] ?? "1");
  const { index, total } = parseSubject(`[${tag}] x`);
  return { version, index: index ?? 1, total: total ?? 1, subject: s };
}

export interface PendingSeries {
  key: string;
  version: number;
  total: number;
  author: string;
  /** The series' subject: its cover letter's, else patch 1's (tags removed). */
  subject: string | null;
  cover: ArchivedMail | null;
  patches: Record<number, ArchivedMail>;
  /** Date of the newest mail in it. */
  lastDate: number | null;
}

/**
 * The thread a patch belongs to: the first of its References (the cover
 * letter or patch 1, as git send-email threads), or itself when it starts
 * the thread.
 */
export function threadRoot(mail: ArchivedMail): string {
  return mail.references[0] ?? mail.messageId;
}

export function seriesKey(mail: ArchivedMail, tag: PatchTag): string {
  return `${threadRoot(mail)}\0v${tag.version}`;
}

export function isComplete(series: PendingSeries): boolean {
  for (let k = 1; k <= series.total; k++) if (!series.patches[k]) return false;
  return true;
}

/** Adds a mail to the pending series; returns the series it joined, or null when it is no patch mail. */
export function addMail(pending: Map<string, PendingSeries>, mail: ArchivedMail): PendingSeries | null {
  const tag = patchTag(mail.rawSubject);
  if (!tag || tag.index > tag.total || tag.total > 999) return null;
  const key = seriesKey(mail, tag);
  let series = pending.get(key);
  if (!series) {
    series = { key, version: tag.version, total: tag.total, author: mail.author, subject: null, cover: null, patches: {}, lastDate: null };
    pending.set(key, series);
  }
  if (tag.index === 0) {
    series.cover = mail;
    series.subject = tag.subject;
  } else if (!series.patches[tag.index]) {
    series.patches[tag.index] = mail;
    if (tag.index === 1 && series.subject === null) series.subject = tag.subject;
  }
  if (mail.date !== null && (series.lastDate === null || mail.date > series.lastDate)) series.lastDate = mail.date;
  return series;
}

/** Older versions of the same series (same author and subject) still waiting: a newer one supersedes them. */
export function supersededBy(pending: Map<string, PendingSeries>, newer: PendingSeries): PendingSeries[] {
  if (newer.subject === null) return [];
  return [...pending.values()].filter((s) => s !== newer && s.version < newer.version && s.author === newer.author && s.subject === newer.subject);
}
