import { PLACEHOLDER } from '../../lib/plan/bind';

/**
 * A template with each `{{ name }}` replaced by an identifier of the same length, so the parser
 * sees valid SQL and every offset still points into the file as written.
 */
export function maskPlaceholders(template: string): { readonly text: string; readonly names: ReadonlySet<string> } {
  const names = new Set<string>();
  const text = template.replace(PLACEHOLDER, (match, name: string) => {
    const id = `_${name}`.padEnd(match.length, '_').slice(0, match.length);
    names.add(id.toLowerCase());
    return id;
  });
  return { text, names };
}

/** Line and column (1-based, in characters) of a UTF-8 byte offset: libpg-query's locations are bytes. */
export function positions(text: string): (byteOffset: number) => { readonly line: number; readonly column: number } {
  const bytes = Buffer.from(text, 'utf8');
  return (byteOffset) => {
    const before = bytes.subarray(0, Math.max(0, Math.min(byteOffset, bytes.length))).toString('utf8');
    const lines = before.split('\n');
    return { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
  };
}
