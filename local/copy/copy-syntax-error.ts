/** A COPY statement the emulation cannot run as written: bad syntax or an option it does not support. */
export class CopySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopySyntaxError';
  }
}
