// patchwarden reply: one mail per commit with findings, threaded under the
// patch, quoted the way kernel reviewers quote, wrapped at 78 columns.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import { wrap } from "../../src/mail/reply.js";
import { captureIo } from "../history/test-repo.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-reply-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const series = [
  "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001",
  "From: Dev One <dev@example.org>",
  "To: x86@kernel.org",
  "Cc: xen-devel@lists.xenproject.org, Boris <boris@example.org>",
  "Date: Mon, 1 Jan 2024 00:00:00 +0000",
  "Subject: [PATCH v2 1/2] x86/acpi: skip the PM timer on dom0",
  "Message-ID: <20240101-1-dev@example.org>",
  "In-Reply-To: <20240101-0-dev@example.org>",
  "References: <20240101-0-dev@example.org>",
  "",
  "The PM timer cannot be read on Xen dom0, so boot hangs there.",
  "",
  "Signed-off-by: Dev One <dev@example.org>",
  "---",
  "diff --git a/arch/x86/kernel/acpi/boot.c b/arch/x86/kernel/acpi/boot.c",
  "--- a/arch/x86/kernel/acpi/boot.c",
  "+++ b/arch/x86/kernel/acpi/boot.c",
  "@@ -10,8 +10,10 @@ static int __init acpi_parse_fadt(void)",
  " \ta();",
  " \tb();",
  " \tc();",
  " \td();",
  " \te();",
  "+\tif (xen_initial_domain())",
  "+\t\treturn 0;",
  " \tf();",
  " \tg();",
  " \th();",
  "-- ",
  "2.43.0",
  "",
  "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001",
  "From: Dev One <dev@example.org>",
  "Date: Mon, 1 Jan 2024 00:00:01 +0000",
  "Subject: [PATCH v2 2/2] x86/mm: flush the range",
  "Message-ID: <20240101-2-dev@example.org>",
  "In-Reply-To: <20240101-0-dev@example.org>",
  "References: <20240101-0-dev@example.org>",
  "",
  "The range was not flushed when it wrapped, which left stale entries.",
  "",
  "Signed-off-by: Dev One <dev@example.org>",
  "---",
  "diff --git a/arch/x86/mm/tlb.c b/arch/x86/mm/tlb.c",
  "--- a/arch/x86/mm/tlb.c",
  "+++ b/arch/x86/mm/tlb.c",
  "@@ -10,1 +10,2 @@",
  " \tfoo();",
  "+\tflush(range);",
  "-- ",
  "2.43.0",
  "",
].join("\n");

async function reply(args: string[]) {
  const file = path.join(tmp, "series.mbox");
  writeFileSync(file, series);
  const io = captureIo(tmp);
  const code = await main(["reply", file, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("reply", () => {
  it("answers only the commit with findings, threaded under it, to the author with the list on Cc", async () => {
    const r = await reply([]);
    expect(r.code).toBe(0);
    const mails = r.out.split(/^From patchwarden /m).filter(Boolean);
    expect(mails).toHaveLength(1);
    const [head, body] = [mails[0]!.split("\n\n")[0]!, mails[0]!.slice(mails[0]!.indexOf("\n\n") + 2)];
    expect(head).toContain("\nSubject: Re: [PATCH v2 1/2] x86/acpi: skip the PM timer on dom0");
    expect(head).toContain("\nIn-Reply-To: <20240101-1-dev@example.org>");
    expect(head).toContain("\nReferences: <20240101-0-dev@example.org> <20240101-1-dev@example.org>");
    expect(head).toContain("\nTo: Dev One <dev@example.org>");
    expect(head).toContain("\nCc: x86@kernel.org, xen-devel@lists.xenproject.org, Boris <boris@example.org>");
    // The line the remark is about, a few lines above it, and the cut before them.
    // Context lines keep their diff marker (a space) after the quote's "> ".
    expect(body).toContain("> @@ -10,8 +10,10 @@ static int __init acpi_parse_fadt(void)\n>  \tc();\n>  \td();\n>  \te();\n> +\tif (xen_initial_domain())\n\nerror (hv-special-case): Adds a Xen special case");
    expect(body).not.toContain(">  \tb();");
    for (const line of body.split("\n")) if (!line.startsWith(">") && !line.includes("https://")) expect(line.length).toBeLessThanOrEqual(78);
    expect(body).toMatch(/\n-- \npatchwarden .* If a remark is wrong, say why\nin a reply: the maintainer decides, not the bot\.\n$/s);
    expect(body).not.toMatch(/Acked-by|Nacked-by|NAK|Reported-by/i);
  });

  it("writes a maildir once per content, and pipes to --sendmail when asked", async () => {
    const dir = path.join(tmp, "Maildir");
    expect((await reply(["--maildir", dir])).code).toBe(0);
    expect((await reply(["--maildir", dir])).code).toBe(0);
    const files = readdirSync(path.join(dir, "new"));
    expect(files).toHaveLength(1);
    expect(readFileSync(path.join(dir, "new", files[0]!), "utf8")).toMatch(/^From: patchwarden <patchwarden@localhost>\n/);

    const sent = path.join(tmp, "sent.txt");
    const fake = path.join(tmp, "fake-sendmail");
    writeFileSync(fake, `#!/bin/sh\ncat >> ${sent}\n`);
    chmodSync(fake, 0o755);
    const r = await reply(["--sendmail", `${fake} -t`]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(readFileSync(sent, "utf8")).toContain("Subject: Re: [PATCH v2 1/2]");
    const failing = path.join(tmp, "failing-sendmail");
    writeFileSync(failing, "#!/bin/sh\necho 'no relay' >&2\nexit 75\n");
    chmodSync(failing, 0o755);
    const f = await reply(["--sendmail", failing]);
    expect(f.code).toBe(1);
    expect(f.err).toContain("exited with 75: no relay");
  });

  it("refuses a From that is not an address", async () => {
    const r = await reply(["--from", "me\nBcc: all@example.org"]);
    expect(r.code).toBe(2);
  });

  it("wraps at 78 columns, a long word alone", () => {
    const lines = wrap(`${"word ".repeat(40)}https://example.org/${"x".repeat(90)} end`);
    expect(lines.every((l) => l.length <= 78 || !l.includes(" "))).toBe(true);
    expect(lines).toContain(`https://example.org/${"x".repeat(90)}`);
  });
});
