#!/usr/bin/env node
// The bundle (dist/cli/, npm run build) when there is one: one file to read
// instead of ~60 modules to resolve. Without it, tsc's output.
import { existsSync } from "node:fs";
import module from "node:module";

// V8's compile cache where Node has it (22.1 and later): later runs skip parsing.
module.enableCompileCache?.();
const bundle = new URL("../dist/cli/patchwarden.mjs", import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : "../dist/src/cli/main.js");

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
