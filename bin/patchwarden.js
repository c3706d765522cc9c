#!/usr/bin/env node
// The bundle (dist/cli/, npm run build) when there is one: one file to read
// instead of ~60 modules to resolve. Without it, tsc's output.
import { existsSync } from "node:fs";
import module from "node:module";

// V8's compile cache where Node has it (22.1 and later): later runs skip parsing.
module.enableCompileCache?.();
// `patchwarden check ... | head`: a reader that stops early ends the output, as it does for git, not with a stack trace.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
const bundle = new URL("../dist/cli/patchwarden.mjs", import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : "../dist/src/cli/main.js");

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
