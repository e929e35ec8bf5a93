/** Where the CLI prints: a line at a time, results on `out`, news and errors on `err`. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * This process's stdout and stderr as an Output. A reader that goes away (`sparkify load | head -5`)
 * closes the pipe: the next write fails with EPIPE, which Node reports as an 'error' event that,
 * unhandled, ends the process with a stack trace in the middle of a load. Here a stream whose
 * reader is gone is written no more, and the command carries on as if its lines had been read: a
 * load still commits, releases the warehouse and exits with its own status.
 */
export function processOutput(): Output {
  return { out: (text) => writeLine(process.stdout, text), err: (text) => writeLine(process.stderr, text) };
}

const guarded = new WeakSet<NodeJS.WriteStream>();

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Any other error is what it was before: thrown, so it is not lost.
      if (error.code !== 'EPIPE') throw error;
    });
  }
  // A failed write destroys the stream at once (its 'error' event follows later): later lines are dropped.
  if (!stream.destroyed) stream.write(`${text}\n`);
}
