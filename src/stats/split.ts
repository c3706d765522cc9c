// `git format-patch --stdout` starts every commit with the same mbox line,
// `From <sha> Mon Sep 17 00:00:00 2001` (a fixed date, so tools can tell
// it from a real mbox). Cutting there gives each commit's own text without
// reading the output as mail.
const SUFFIX = Buffer.from(" Mon Sep 17 00:00:00 2001\n");
const PREFIX = Buffer.from("From ");
const SHA = /^[0-9a-f]{40}$/;

export interface CommitText {
  sha: string;
  bytes: Buffer;
}

export function splitFormatPatch(out: Buffer): CommitText[] {
  const starts: { at: number; sha: string }[] = [];
  for (let at = out.indexOf(PREFIX); at >= 0; at = out.indexOf(PREFIX, at + 1)) {
    if (at > 0 && out[at - 1] !== 0x0a) continue;
    const shaEnd = at + PREFIX.length + 40;
    const sha = out.toString("latin1", at + PREFIX.length, shaEnd);
    if (SHA.test(sha) && out.subarray(shaEnd, shaEnd + SUFFIX.length).equals(SUFFIX)) starts.push({ at, sha });
  }
  return starts.map((s, i) => ({ sha: s.sha, bytes: out.subarray(s.at, starts[i + 1]?.at ?? out.length) }));
}
