// Cuts `git format-patch --stdout` output into its commits as it arrives,
// so a long range is parsed while git still writes it and never held whole.
// Every commit starts with the same line, `From <sha> Mon Sep 17 00:00:00
// 2001` (a fixed date, so tools can tell it from a real mbox); a cut is made
// only there, and only for a sha the caller expects (the range's commits),
// so a commit message quoting such a line cannot split its commit.

const PREFIX = Buffer.from("From ");
const SUFFIX = Buffer.from(" Mon Sep 17 00:00:00 2001\n");
const HEADER = PREFIX.length + 40 + SUFFIX.length;
const SHA = /^[0-9a-f]{40}$/;

export interface CutCommit {
  sha: string;
  /** The commit's text; null when it was over `maxCommitBytes` (its bytes were not kept). */
  bytes: Buffer | null;
  /** Its size in bytes, kept or not. */
  size: number;
  /** The input line its first line is, counted over the whole output. */
  firstLine: number;
}

export interface CutOptions {
  /** The shas a cut may start (null: any that has the form). */
  expected: ReadonlySet<string> | null;
  /** A commit longer than this is reported with `bytes: null`, its text dropped as it comes. */
  maxCommitBytes: number;
}

export class FormatPatchCutter {
  /** Bytes of the commit being read, in order (none kept once it is over the limit). */
  private chunks: Buffer[] = [];
  private size = 0;
  private lines = 0;
  private sha: string | null = null;
  private firstLine = 1;
  /**
   * Output before `decided` is placed: in a commit, and every header start
   * before it judged. The bytes from one before it on (the byte a header
   * must follow, and a header perhaps cut by the chunk's end) wait in `tail`.
   */
  private decided = 0;
  private tail: Buffer = Buffer.alloc(0);
  private readonly seen = new Set<string>();

  constructor(private readonly options: CutOptions) {}

  /** Takes the next bytes of the output; returns the commits they completed. */
  push(chunk: Buffer): CutCommit[] {
    const out: CutCommit[] = [];
    const region = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const regionStart = this.decided - (this.decided > 0 ? 1 : 0);
    // Header starts up to here fit in the region whole and are judged now.
    const judgeUpTo = regionStart + region.length - HEADER;
    for (let i = region.indexOf(PREFIX, this.decided - regionStart); i >= 0 && regionStart + i <= judgeUpTo; i = region.indexOf(PREFIX, i + 1)) {
      const at = regionStart + i;
      if (at !== 0 && region[i - 1] !== 0x0a) continue;
      const sha = region.toString("latin1", i + PREFIX.length, i + PREFIX.length + 40);
      if (!SHA.test(sha) || !region.subarray(i + PREFIX.length + 40, i + HEADER).equals(SUFFIX)) continue;
      if (this.seen.has(sha) || (this.options.expected && !this.options.expected.has(sha))) continue;
      this.seen.add(sha);
      this.add(region.subarray(this.decided - regionStart, i));
      if (this.sha !== null || this.size > 0) out.push(this.finishCommit());
      this.sha = sha;
      this.decided = at;
    }
    const placeUpTo = Math.max(this.decided, judgeUpTo + 1);
    this.add(region.subarray(this.decided - regionStart, placeUpTo - regionStart));
    this.decided = placeUpTo;
    this.tail = Buffer.from(region.subarray(Math.max(0, placeUpTo - 1 - regionStart)));
    return out;
  }

  /** The output ended: the last commit. */
  end(): CutCommit[] {
    const regionStart = this.decided - (this.decided > 0 ? 1 : 0);
    this.add(this.tail.subarray(this.decided - regionStart));
    this.tail = Buffer.alloc(0);
    return this.sha !== null || this.size > 0 ? [this.finishCommit()] : [];
  }

  private add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    this.lines += countLines(bytes);
    if (this.size > this.options.maxCommitBytes) this.chunks = [];
    else this.chunks.push(bytes);
  }

  private finishCommit(): CutCommit {
    const over = this.size > this.options.maxCommitBytes;
    const commit: CutCommit = { sha: this.sha ?? "", bytes: over ? null : Buffer.concat(this.chunks, this.size), size: this.size, firstLine: this.firstLine };
    this.firstLine += this.lines;
    this.chunks = [];
    this.size = 0;
    this.lines = 0;
    return commit;
  }
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
