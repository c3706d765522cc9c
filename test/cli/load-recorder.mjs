// `node --import ./test/cli/load-recorder.mjs ...` writes the URL of every
// module the process loads to the file named by LOAD_RECORD, one a line: a
// test can then say what a command line never loads.
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

// The same file is the hooks module, which Node runs on its own thread.
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.LOAD_RECORD) appendFileSync(process.env.LOAD_RECORD, `${resolved.url}\n`);
  return resolved;
}
