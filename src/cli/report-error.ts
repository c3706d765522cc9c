import { ConfigError } from "../config/errors.js";
import { InputError, UsageError } from "../patch/errors.js";
import type { CliIo } from "./main.js";

/** Raised with the command it belongs to, so the pointer to help names it. */
export class CommandUsageError extends UsageError {
  constructor(
    message: string,
    readonly command: string | null,
  ) {
    super(message);
  }
}

/** A usage mistake inside `command` is pointed at that command's --help; anything else is left as it is. */
export function inCommand(err: unknown, command: string): unknown {
  return err instanceof UsageError && !(err instanceof CommandUsageError) ? new CommandUsageError(err.message, command) : err;
}

/** What a user caused, on stderr, and exit status 2; anything else is a bug and is thrown on. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    // One line and where to read more, as git does: the whole usage buries the one thing that was wrong.
    const command = err instanceof CommandUsageError ? err.command : null;
    io.stderr.write(`patchwarden: ${err.message}\nSee "patchwarden ${command === null ? "--help" : `${command} --help`}".\n`);
    return 2;
  }
  if (err instanceof InputError) {
    io.stderr.write(`patchwarden: ${err.describe()}\n`);
    return 2;
  }
  if (err instanceof ConfigError) {
    io.stderr.write(`patchwarden: ${err.source}: invalid configuration: ${err.message}\n`);
    return 2;
  }
  throw err;
}
