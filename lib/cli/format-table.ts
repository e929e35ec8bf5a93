/** Renders rows as an aligned text table; numbers right-aligned, NULL shown as such. */
export function formatTable(rows: readonly Record<string, unknown>[], columns = rows[0] ? Object.keys(rows[0]) : []): string {
  if (columns.length === 0) return '(no rows)';
  const cells = rows.map((row) => columns.map((column) => formatValue(row[column])));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => isNumeric(row[columns[i] ?? ''])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const render = (line: readonly string[]) =>
    line.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const lines = [render(columns), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)];
  if (rows.length === 0) lines.push('(no rows)');
  return lines.join('\n');
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value === null || value === undefined;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as plain JSON: dates as ISO strings, 64-bit integers as numbers when they fit. */
export function toJsonRows(rows: readonly Record<string, unknown>[]): string {
  return JSON.stringify(
    rows,
    (_key, value: unknown) => (typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : String(value)) : value),
    2,
  );
}
