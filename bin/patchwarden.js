#!/usr/bin/env node
// No V8 flags here. On Node 20 any flag on the command line slowed loading
// Node's own modules (--max-semi-space-size=16: a check of three patches,
// 180 -> 211 ms); the young-generation bound it would give on Node 22 and
// later is for the user to choose (the README, on memory).
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
// stdin and stderr are streams Node makes when first asked for: a command that reads no input, or writes no error, makes none.
const io = {
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  get stderr() {
    return process.stderr;
  },
  cwd: process.cwd(),
  env: process.env,
};
const argv = process.argv.slice(2);
// `patchwarden rules` has an entry of its own in the bundle, which loads
// only what listing the rules needs (src/cli/rules-command.ts): main()
// would run the same code, after loading every command's shared chunks.
const rules = argv[0] === "rules" ? new URL("../dist/cli/patchwarden-rules.mjs", import.meta.url) : null;
if (rules !== null && existsSync(rules)) {
  process.exitCode = await (await import(rules.href)).rulesMain(argv.slice(1), io);
} else {
  const bundle = new URL("../dist/cli/patchwarden.mjs", import.meta.url);
  const { main } = await import(existsSync(bundle) ? bundle.href : "../dist/src/cli/main.js");
  process.exitCode = await main(argv, io);
}
