#!/usr/bin/env node
// The step action.yml runs; see src/cli/action.ts.
import { runAction } from "../dist/src/cli/action.js";

process.exitCode = await runAction(process.env, process.stderr);
