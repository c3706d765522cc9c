import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import type { ArchivedMail, PendingSeries } from "./series-group.js";

// Where a watch stopped, kept in one small JSON file written atomically
// (a temporary file renamed over it): the last commit read per epoch, the
// series still waiting for patches, and the series already reviewed, so a
// restart neither reads a mail twice nor replies twice.

export interface WatchState {
  version: 1;
  epochs: Record<string, string>;
  pending: PendingSeries[];
  /** Series keys reviewed, oldest first (capped). */
  reviewed: string[];
  /** The newest Date: seen in the archive: the clock a waiting series' timeout runs on. */
  archiveTime: number | null;
}

const MAX_REVIEWED = 100_000;

export function emptyState(): WatchState {
  return { version: 1, epochs: {}, pending: [], reviewed: [], archiveTime: null };
}

export async function loadState(file: string): Promise<WatchState> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
    throw err;
  }
  const data = JSON.parse(text) as Partial<WatchState>;
  if (data.version !== 1 || typeof data.epochs !== "object" || !Array.isArray(data.pending) || !Array.isArray(data.reviewed)) {
    throw new Error(`${file}: not a patchwarden watch state (version 1)`);
  }
  return { version: 1, epochs: data.epochs ?? {}, pending: data.pending.filter(isPending), reviewed: data.reviewed.filter((k) => typeof k === "string"), archiveTime: typeof data.archiveTime === "number" ? data.archiveTime : null };
}

function isPending(s: unknown): s is PendingSeries {
  const p = s as PendingSeries;
  return typeof p === "object" && p !== null && typeof p.key === "string" && typeof p.total === "number" && typeof p.patches === "object";
}

export async function saveState(file: string, state: WatchState): Promise<void> {
  const trimmed = { ...state, reviewed: state.reviewed.slice(-MAX_REVIEWED) };
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, `${JSON.stringify(trimmed)}\n`);
  await rename(tmp, file);
}

export type { ArchivedMail };
