// A baseline: the fingerprints of the findings a tree has today, so a
// check reports only new ones. Fingerprints survive re-pushes and unrelated
// line moves (src/findings/fingerprint.ts), so a baseline stays valid as the
// tree moves on; the rule, file and message are kept for a reader of the file.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Finding } from "../findings/types.js";
import { InputError } from "../patch/errors.js";

const FORMAT = "patchwarden-baseline/1";

interface BaselineFile {
  format: typeof FORMAT;
  findings: { fingerprint: string; rule: string; file: string | null; message: string }[];
}

export async function writeBaseline(file: string, findings: Finding[]): Promise<void> {
  const data: BaselineFile = {
    format: FORMAT,
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, rule: f.check ?? f.rule, file: f.file, message: f.message.slice(0, 200) })),
  };
  try {
    await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  } catch (err) {
    throw new InputError(file, null, `cannot write the baseline: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function readBaseline(file: string, cwd: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (err) {
    throw new InputError(file, null, `cannot read the baseline: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(file, null, "not a baseline: not JSON (write one with --write-baseline)");
  }
  const d = data as Partial<BaselineFile>;
  if (d.format !== FORMAT || !Array.isArray(d.findings) || !d.findings.every((f) => typeof f?.fingerprint === "string")) {
    throw new InputError(file, null, `not a baseline: expected {"format": "${FORMAT}", "findings": [{"fingerprint", ...}]} (write one with --write-baseline)`);
  }
  return new Set(d.findings.map((f) => f.fingerprint));
}
