/** Bad input to `steward render`: a message for the user, with the file and line it is about when known. */
export class RenderInputError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, where: { file?: string; line?: number } = {}) {
    super(message);
    this.name = "RenderInputError";
    this.file = where.file;
    this.line = where.line;
  }

  /** `FILE:LINE: message`, `FILE: message` or the message alone. */
  describe(): string {
    const place = [this.file, this.line].filter((x) => x !== undefined).join(":");
    return place ? `${place}: ${this.message}` : this.message;
  }
}
