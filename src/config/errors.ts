/** A config file a user wrote that we cannot use; `message` says which key and why. */
export class ConfigError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.source = source;
  }
}
