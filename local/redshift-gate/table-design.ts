import type { Finding } from './refusal';
import type { TableDesign } from './table-attributes';

// A table's distribution and sort keys must agree with its columns and with each other.
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html (DISTSTYLE, DISTKEY, SORTKEY)
export function checkTableDesign(table: TableDesign): Finding[] {
  const findings: Finding[] = [];
  const style = table.diststyle;
  const distkey = table.distkeys[0];
  if (style?.value === 'key' && !distkey) {
    findings.push({ construct: 'DISTSTYLE KEY without a DISTKEY', at: style.at, instead: 'DISTKEY (column) beside DISTSTYLE KEY' });
  }
  if (style && style.value !== 'key' && distkey) {
    findings.push({
      construct: `DISTSTYLE ${style.value.toUpperCase()} with a DISTKEY`,
      at: distkey.at,
      instead: 'DISTSTYLE KEY with the DISTKEY, or no DISTKEY',
    });
  }
  if (table.distkeys.length > 1) {
    const second = table.distkeys[1];
    if (second) findings.push({ construct: 'a second DISTKEY', at: second.at, instead: 'one DISTKEY column per table' });
  }
  if (table.sortkeyAt.table !== undefined && table.sortkeyAt.column !== undefined) {
    findings.push({ construct: 'both a column SORTKEY and a table SORTKEY (...)', at: table.sortkeyAt.column, instead: 'one of the two' });
  }
  // CREATE TABLE AS has no column list to check names against.
  if (table.columns.length > 0) {
    for (const [kind, keys] of [['DISTKEY', table.distkeys] as const, ['SORTKEY', table.sortkeys] as const]) {
      for (const key of keys) {
        if (!table.columns.includes(key.name)) {
          findings.push({
            construct: `${kind} naming ${key.name}, which is not a column of the table`,
            at: key.at,
            instead: `a ${kind} on one of: ${table.columns.join(', ')}`,
          });
        }
      }
    }
  }
  return findings;
}
