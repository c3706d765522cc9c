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
