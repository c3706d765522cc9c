// Errors a user can cause by what they feed us. They carry the input's name
// and line so the CLI can print `file:line: message` and exit 2; anything
// else that is thrown is a bug and keeps its stack trace.
export class InputError extends Error {
  readonly source: string;
  readonly line: number | null;

  constructor(source: string, line: number | null, message: string) {
    super(message);
    this.name = "InputError";
    this.source = source;
    this.line = line;
  }

  /** `file:line: message`, the form compilers and checkpatch use. */
  describe(): string {
    return this.line === null ? `${this.source}: ${this.message}` : `${this.source}:${this.line}: ${this.message}`;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The input holds only mails that are context (replies, reports without a diff): nothing to check, and nothing wrong with it. */
export class OnlyContextError extends InputError {
  constructor(source: string) {
    super(source, null, "no patch found: its mails have no diff (replies, reports), and they are context, not commits");
    this.name = "OnlyContextError";
  }
}
