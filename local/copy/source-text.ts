import { isUtf8 } from 'node:buffer';

export interface SourceText {
  readonly text: string;
  /** Lines (1-based) holding bytes that are not UTF-8; absent when the file is clean. */
  readonly invalidLines?: ReadonlySet<number>;
}

/**
 * Decodes a source file. Clean UTF-8 is the fast path. Otherwise the lines with bad bytes are
 * either marked (their records get rejected, as in Redshift) or, with ACCEPTINVCHARS, have each
 * bad sequence replaced by the replacement character.
 */
export function decodeSource(buffer: Buffer, acceptInvChars: string | undefined): SourceText {
  if (isUtf8(buffer)) return { text: buffer.toString('utf8') };
  const invalidLines = new Set<number>();
  const pieces: string[] = [];
  let start = 0;
  for (let line = 1; start <= buffer.length; line++) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    const bytes = buffer.subarray(start, end);
    let piece = bytes.toString('utf8');
    if (!isUtf8(bytes)) {
      invalidLines.add(line);
      if (acceptInvChars !== undefined) piece = piece.replace(/\uFFFD/g, acceptInvChars);
    }
    pieces.push(piece);
    start = end + 1;
  }
  const text = pieces.join('\n');
  return acceptInvChars === undefined ? { text, invalidLines } : { text };
}
