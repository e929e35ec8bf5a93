import { completeTokens, type Token } from '../lib/plan/sql-tokens';

/** A place in a text as people count it: 1-based line, 1-based column in characters (as PostgreSQL and the Redshift gate count). */
export interface TextPlace {
  readonly line: number;
  readonly column: number;
}

/**
 * The offset (in UTF-16 units, as JavaScript indexes) of PostgreSQL's error position, which is
 * 1-based and counts characters (https://www.postgresql.org/docs/current/protocol-error-fields.html,
 * field P); undefined when it is not a position in `text`. One past the end is a position: "at end of input".
 */
export function offsetOfPosition(text: string, position: number): number | undefined {
  if (!Number.isSafeInteger(position) || position < 1) return undefined;
  let offset = 0;
  for (let n = 1; n < position; n++) {
    if (offset >= text.length) return undefined;
    offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  }
  return offset <= text.length ? offset : undefined;
}

/** The line and column of `offset` in `text`. */
export function placeOf(text: string, offset: number): TextPlace {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

/**
 * The line `place` is on and a caret under its column: the line as written (a carriage return
 * dropped), the caret's indent keeping the line's tabs so it lands under the character however a
 * terminal sets tabs. Undefined when the place is not in the text.
 */
export function caretLines(text: string, { line, column }: TextPlace): readonly [string, string] | undefined {
  const row = text.split('\n')[line - 1]?.replace(/\r$/, '');
  if (row === undefined) return undefined;
  const characters = [...row];
  if (column < 1 || column > characters.length + 1) return undefined;
  const indent = characters
    .slice(0, column - 1)
    .map((character) => (character === '\t' ? '\t' : ' '))
    .join('');
  return [row, `${indent}^`];
}

/** Above this many token pairs the alignment is not tried (memory): no caret rather than a slow one. */
const MAX_ALIGNED_PAIRS = 4_000_000;

/**
 * Where `offset` of `sent` (the SQL the engine ran) is in `written` (the SQL the user wrote), when
 * the twin's rewrite (the lateral aliases, the dialect bridge) kept the token there; otherwise
 * undefined, so that no caret is ever printed in the wrong place. Unchanged SQL maps as it is.
 * Otherwise the significant tokens of both are aligned (a longest common subsequence, which follows
 * moved clauses such as TOP's LIMIT), and the token at `offset` maps to the one it is aligned with,
 * only if its text occurs as often in both: a rewrite that copied or added that text (an inlined
 * alias, a translated function) makes any one copy ambiguous.
 */
export function mapOffset(sent: string, written: string, offset: number): number | undefined {
  if (sent === written) return offset <= written.length ? offset : undefined;
  const from = significant(sent);
  const to = significant(written);
  if (!from || !to || from.length * to.length > MAX_ALIGNED_PAIRS) return undefined;
  const i = from.findIndex((token) => offset >= token.start && offset < token.start + token.text.length);
  const token = from[i];
  if (!token) return undefined;
  const j = alignment(from, to)[i];
  const target = j === undefined ? undefined : to[j];
  if (!target) return undefined;
  const count = (tokens: readonly Token[]) => tokens.filter((other) => other.text === token.text).length;
  if (count(from) !== count(to)) return undefined;
  return target.start + (offset - token.start);
}

function significant(sql: string): Token[] | undefined {
  return completeTokens(sql)?.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

/** For each token of `a`, the index of the token of `b` it is aligned with in a longest common subsequence of their texts. */
function alignment(a: readonly Token[], b: readonly Token[]): (number | undefined)[] {
  const width = b.length + 1;
  // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i]?.text === b[j]?.text
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const aligned: (number | undefined)[] = new Array<number | undefined>(a.length).fill(undefined);
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]?.text === b[j]?.text) {
      aligned[i] = j;
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return aligned;
}
