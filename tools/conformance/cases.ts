import { readFileSync, writeFileSync } from 'node:fs';

/** Where each page of the Redshift Database Developer Guide lives: the page name, then .html. */
export const GUIDE_URL = 'https://docs.aws.amazon.com/redshift/latest/dg/';

export const CASES_FILE = 'test/conformance/redshift-guide-examples.json';
export const BASELINE_FILE = 'test/conformance/known-differences.json';
export const PAGE_ERRORS_FILE = 'test/conformance/page-errors.json';

/** One table-free example of the guide: its SQL and its result, exactly as the page prints them. */
export interface GuideCase {
  /** page#n: the n-th statement-and-result pair of the page. */
  readonly id: string;
  readonly page: string;
  readonly url: string;
  /** The reference section the page belongs to ("String functions", "Literals", ...). */
  readonly family: string;
  readonly sql: string;
  /** The header's column names, as printed. */
  readonly columns: readonly string[];
  /** The cells, as printed (surrounding spaces dropped). */
  readonly rows: readonly (readonly string[])[];
  /** The result exactly as the page prints it, header to footer. */
  readonly printed: string;
  /** Functions whose answer depends on when and where it runs: only names and shape compare. */
  readonly volatile?: readonly string[];
}

export interface GuideCases {
  readonly source: { readonly repo: string; readonly commit: string };
  readonly cases: readonly GuideCase[];
}

export function readCases(file = CASES_FILE): GuideCases {
  return JSON.parse(readFileSync(file, 'utf8')) as GuideCases;
}

/** A data file as the repository keeps it: JSON as prettier formats it (`npm run format:check` checks it). */
export async function writeJsonFile(file: string, data: unknown): Promise<void> {
  const { format, resolveConfig } = await import('prettier');
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(JSON.stringify(data, null, 2), { ...options, filepath: file }));
}
