// Loaded into a command by the bench (NODE_OPTIONS=--import): writes the
// process's own peak RSS in KiB to $PATCHWARDEN_SELF_RSS when it exits.
// /usr/bin/time reports the largest of the process and the children it waited
// for, and `git format-patch` over a long range is as large as node itself.
import { writeFileSync } from "node:fs";

const file = process.env.PATCHWARDEN_SELF_RSS;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
