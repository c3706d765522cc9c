// MIME wrappings of a patch mail, as mailers produce them: git format-patch
// --attach/--inline, mutt attachments, base64 and quoted-printable bodies.
// Shared by the MIME tests and the series properties.

/** base64 in 76-column lines, as MIME writes it. */
export function base64Lines(text: string): string[] {
  const b = Buffer.from(text, "utf8").toString("base64");
  const out: string[] = [];
  for (let k = 0; k < b.length; k += 76) out.push(b.slice(k, k + 76));
  return out;
}

/** RFC 2045 quoted-printable of UTF-8 text: `=XX` escapes, soft breaks at 76 columns. */
export function qpLines(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    // "From " at the start of a line would be taken for an mbox separator:
    // RFC 2045 suggests encoding its F.
    const bytes = Buffer.from(line.startsWith("From ") ? line.slice(1) : line, "utf8");
    const lead = line.startsWith("From ") ? "=46" : "";
    let cur = lead;
    bytes.forEach((b, k) => {
      const last = k === bytes.length - 1;
      const plain = b >= 0x21 && b <= 0x7e && b !== 0x3d;
      // A blank at the end of a line would be taken for transport padding.
      const enc = plain || ((b === 0x20 || b === 0x09) && !last) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
      if (cur.length + enc.length > 75) {
        out.push(`${cur}=`);
        cur = "";
      }
      cur += enc;
    });
    out.push(cur);
  }
  return out;
}

export type Encoding = "8bit" | "base64" | "quoted-printable";

export function encodeBody(text: string, encoding: Encoding): string[] {
  if (encoding === "base64") return base64Lines(text);
  if (encoding === "quoted-printable") return qpLines(text);
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Splits a format-patch mail into its header lines and body text. */
export function splitMail(mail: string): { fromLine: string | null; headers: string[]; body: string } {
  const lines = mail.split("\n");
  let k = 0;
  const fromLine = lines[0]!.startsWith("From ") && !lines[0]!.startsWith("From: ") ? lines[k++]! : null;
  const headers: string[] = [];
  while (k < lines.length && lines[k] !== "") headers.push(lines[k++]!);
  return { fromLine, headers, body: lines.slice(k + 1).join("\n") };
}

/**
 * `git format-patch --attach` (or `--inline`): the message and diffstat in a
 * text/plain part, the diff in a text/x-patch part.
 */
export function gitAttach(mail: string, options: { encoding?: Encoding; inline?: boolean; boundary?: string } = {}): string {
  const { fromLine, headers, body } = splitMail(mail);
  const boundary = options.boundary ?? "------------2.39.5";
  const at = body.search(/^diff --git /m);
  const message = at === -1 ? body : body.slice(0, at);
  const diff = at === -1 ? "" : body.slice(at);
  const encoding = options.encoding ?? "8bit";
  const disposition = options.inline ? "inline" : "attachment";
  const out = [
    ...(fromLine ? [fromLine] : []),
    ...headers,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    "This is a multi-part message in MIME format.",
    `--${boundary}`,
    "Content-Type: text/plain; charset=UTF-8; format=fixed",
    "Content-Transfer-Encoding: 8bit",
    "",
    ...message.replace(/\n$/, "").split("\n"),
    "",
    `--${boundary}`,
    'Content-Type: text/x-patch; name="0001-x.patch"',
    `Content-Transfer-Encoding: ${encoding}`,
    `Content-Disposition: ${disposition}; filename="0001-x.patch"`,
    "",
    ...encodeBody(diff, encoding),
    "",
    `--${boundary}--`,
    "",
  ];
  return out.join("\n");
}

/**
 * A mutt mail with whole `git format-patch` files attached, each in its
 * own part after a short note.
 */
export function muttAttach(patches: string[], options: { encoding?: Encoding; type?: string; boundary?: string } = {}): string {
  const boundary = options.boundary ?? "Zm9vYmFyYmF6cXV4";
  const encoding = options.encoding ?? "base64";
  const out = [
    "From: Stefano Stabellini <sstabellini@kernel.org>",
    "To: x86@kernel.org",
    "Subject: Xen fixes, attached",
    "Date: Tue, 3 Jan 2023 10:00:00 +0100",
    "Message-ID: <20230103100000.GA1234@kernel.org>",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "Content-Disposition: inline",
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=us-ascii",
    "Content-Disposition: inline",
    "",
    "Hi,",
    "",
    "the patches are attached.",
    "",
  ];
  patches.forEach((p, k) => {
    out.push(
      `--${boundary}`,
      `Content-Type: ${options.type ?? "text/x-diff"}; charset=utf-8`,
      `Content-Disposition: attachment; filename="000${k + 1}-fix.patch"`,
      `Content-Transfer-Encoding: ${encoding}`,
      "",
      ...encodeBody(p, encoding),
      "",
    );
  });
  out.push(`--${boundary}--`, "");
  return out.join("\n");
}

/** The whole body of a mail re-encoded as a single base64 or QP part. */
export function encodeWholeBody(mail: string, encoding: Encoding): string {
  const { fromLine, headers, body } = splitMail(mail);
  return [
    ...(fromLine ? [fromLine] : []),
    ...headers.filter((h) => !/^content-(?:type|transfer-encoding):/i.test(h)),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    `Content-Transfer-Encoding: ${encoding}`,
    "",
    ...encodeBody(body, encoding),
    "",
  ].join("\n");
}

/** Wraps a mail's body in `depth` levels of multipart (signed, mixed), with a signature part at the top. */
export function nestMultipart(mail: string, depth: number, encoding: Encoding = "8bit"): string {
  const { fromLine, headers, body } = splitMail(mail);
  let inner = ["Content-Type: text/plain; charset=UTF-8", `Content-Transfer-Encoding: ${encoding}`, "", ...encodeBody(body, encoding)];
  for (let d = 0; d < depth; d++) {
    const b = `==level${d}==`;
    const signed = d === depth - 1;
    inner = [
      signed ? `Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="${b}"` : `Content-Type: multipart/mixed; boundary="${b}"`,
      "",
      `--${b}`,
      ...inner,
      ...(signed ? [`--${b}`, "Content-Type: application/pgp-signature", "", "-----BEGIN PGP SIGNATURE-----", "iQEzBAEBCAAdFiEE", "-----END PGP SIGNATURE-----"] : []),
      `--${b}--`,
    ];
  }
  return [...(fromLine ? [fromLine] : []), ...headers, "MIME-Version: 1.0", ...inner, ""].join("\n");
}
