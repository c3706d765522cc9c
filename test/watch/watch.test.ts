// patchwarden watch over a real public-inbox v2 archive, built by the test
// with Debian's public-inbox (public-inbox-init, public-inbox-mda).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../history/test-repo.js";

let tmp: string;
let inbox: string;
let env: NodeJS.ProcessEnv;

function run(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, { input, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
}

function deliver(mail: string) {
  run("public-inbox-mda", ["--no-precheck"], mail);
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-watch-"));
  inbox = path.join(tmp, "inbox");
  env = { ...process.env, HOME: tmp, PI_CONFIG: path.join(tmp, "config"), ORIGINAL_RECIPIENT: "list@example.org", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  run("public-inbox-init", ["-V2", "list", inbox, "http://example.org/list", "list@example.org"]);
  run("git", ["config", "-f", path.join(tmp, "config"), "publicinboxmda.spamcheck", "none"]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let seq = 0;
function mail(o: { subject: string; id: string; refs?: string[]; date: string; body: string; diff?: string; from?: string }): string {
  seq++;
  return [
    `From: ${o.from ?? "Dev One <dev@example.org>"}`,
    "To: list@example.org",
    `Subject: ${o.subject}`,
    `Message-ID: <${o.id}>`,
    ...(o.refs && o.refs.length > 0 ? [`In-Reply-To: <${o.refs.at(-1)}>`, `References: ${o.refs.map((r) => `<${r}>`).join(" ")}`] : []),
    `Date: ${o.date}`,
    "",
    o.body,
    "",
    ...(o.diff ? ["Signed-off-by: Dev One <dev@example.org>", "---", o.diff, "-- ", "2.43.0"] : []),
    "",
  ].join("\n");
}

const xen = ["diff --git a/arch/x86/kernel/acpi/boot.c b/arch/x86/kernel/acpi/boot.c", "--- a/arch/x86/kernel/acpi/boot.c", "+++ b/arch/x86/kernel/acpi/boot.c", "@@ -10,1 +10,3 @@", " \tfoo();", "+\tif (xen_initial_domain())", "+\t\treturn 0;"].join("\n");
const clean = ["diff --git a/arch/x86/mm/tlb.c b/arch/x86/mm/tlb.c", "--- a/arch/x86/mm/tlb.c", "+++ b/arch/x86/mm/tlb.c", "@@ -10,1 +10,2 @@", " \tfoo();", "+\tflush(range);"].join("\n");
const why = "The PM timer cannot be read on Xen dom0, so boot hangs there.";

function series(tag: string, root: string, date: string, n: number, withCover = true): string[] {
  const out: string[] = [];
  if (withCover) out.push(mail({ subject: `[${tag} 0/${n}] x86: dom0 fixes`, id: root, date, body: "Two fixes for dom0 boot." }));
  for (let k = 1; k <= n; k++) {
    out.push(mail({ subject: `[${tag} ${k}/${n}] x86: fix ${k}`, id: `${root}-${k}`, refs: withCover ? [root] : k === 1 ? [] : [`${root}-1`], date, body: why, diff: k === 1 ? xen : clean }));
  }
  return out;
}

async function watch() {
  const io = captureIo(tmp);
  const code = await main(["watch", "--inbox", inbox, "--once", "--no-config"], io);
  return { code, err: io.err() };
}

const outbox = () => readdirSync(path.join(inbox, "patchwarden-outbox", "new")).map((f) => readFileSync(path.join(inbox, "patchwarden-outbox", "new", f), "utf8"));

describe("watch --inbox", () => {
  it("reviews a complete series once, threaded replies into the outbox; a reply and a broken mail change nothing", async () => {
    for (const m of series("PATCH", "s1@example.org", "Mon, 1 Jan 2024 10:00:00 +0000", 2)) deliver(m);
    deliver(mail({ subject: "Re: [PATCH 1/2] x86: fix 1", id: "r1@example.org", refs: ["s1@example.org", "s1@example.org-1"], date: "Mon, 1 Jan 2024 11:00:00 +0000", body: "Why not a hook?" }));
    deliver(mail({ subject: "[PATCH] x86: broken", id: "b1@example.org", date: "Mon, 1 Jan 2024 11:30:00 +0000", body: why, diff: "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,5 +1,5 @@\n-a" }));
    const r = await watch();
    expect(r.code).toBe(0);
    expect(r.err).toContain("skipped");
    expect(r.err).toMatch(/5 new mails \(1 skipped\), 1 series reviewed, 1 replies/);
    const replies = outbox();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("Subject: Re: [PATCH 1/2] x86: fix 1");
    expect(replies[0]).toContain("In-Reply-To: <s1@example.org-1>");
    expect(replies[0]).toContain("References: <s1@example.org> <s1@example.org-1>");
    expect(replies[0]).toContain("error (hv-special-case)");

    // A restart: nothing read twice, nothing answered twice.
    const again = await watch();
    expect(again.err).toMatch(/0 new mails \(0 skipped\), 0 series reviewed, 0 replies/);
    expect(outbox()).toHaveLength(1);
  });

  it("a newer version supersedes a waiting older one; an incomplete series is reviewed after the wait, on the archive's clock", async () => {
    // v1 of another series: only 1/2 arrives.
    deliver(mail({ subject: "[PATCH 1/2] x86: quirk a", id: "q1@example.org", date: "Tue, 2 Jan 2024 10:00:00 +0000", body: why, diff: xen }));
    // v2, complete, without a cover letter.
    for (const m of series("PATCH v2", "q2@example.org", "Tue, 2 Jan 2024 12:00:00 +0000", 2, false).map((m) => m.replace(/x86: fix (\d)/g, (_s, k) => (k === "1" ? "x86: quirk a" : "x86: quirk b")))) deliver(m);
    // A third series stops at 2 of 3 patches.
    for (const m of series("PATCH", "w1@example.org", "Wed, 3 Jan 2024 10:00:00 +0000", 3).slice(0, 3)) deliver(m);
    const r = await watch();
    expect(r.err).toMatch(/1 series reviewed, 1 replies, 1 superseded/);
    // Two days later on the list, the third series is reviewed as it is.
    deliver(mail({ subject: "[PATCH] docs: typo", id: "t1@example.org", date: "Fri, 5 Jan 2024 10:00:00 +0000", body: "Fix a typo.", diff: clean.replace("arch/x86/mm/tlb.c", "Documentation/x.rst") }));
    const later = await watch();
    expect(later.err).toContain('series "x86: dom0 fixes" v1 reviewed incomplete (2 of 3 patches after the wait)');
  });

  it("--maintainers names a file it can read, or the watch does not start", async () => {
    const io = captureIo(tmp);
    expect(await main(["watch", "--inbox", inbox, "--once", "--no-config", "--maintainers", path.join(tmp, "no-such-MAINTAINERS")], io)).toBe(2);
    expect(io.err()).toContain("--maintainers");
  });
});
