import type { Finding } from './refusal';
import type { TokenStream } from './token-stream';

// COPY's parameters after FROM 'source' (PostgreSQL parses none of them): each word must be one
// of Redshift's; values are strings, numbers or bound placeholders.
// https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html (MANIFEST, ENCRYPTED,
// REGION; SSH and READRATIO are not for COPY from S3, so they stay refused)
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html
// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-load.html
const COPY_WORDS = new Set([
  // authorization and source
  'iam_role',
  'default',
  'credentials',
  'access_key_id',
  'secret_access_key',
  'session_token',
  'region',
  'manifest',
  'encrypted',
  'master_symmetric_key',
  'auto',
  // data format
  'format',
  'as',
  'csv',
  'quote',
  'delimiter',
  'fixedwidth',
  'shapefile',
  'simplify',
  'tolerance',
  'avro',
  'json',
  'parquet',
  'orc',
  'bzip2',
  'gzip',
  'lzop',
  'zstd',
  // data conversion
  'acceptanydate',
  'acceptinvchars',
  'blanksasnull',
  'dateformat',
  'emptyasnull',
  'encoding',
  'utf8',
  'utf16',
  'utf16le',
  'utf16be',
  'escape',
  'explicit_ids',
  'fillrecord',
  'ignoreblanklines',
  'ignoreheader',
  'null',
  'removequotes',
  'roundec',
  'timeformat',
  'trimblanks',
  'truncatecolumns',
  'serializetojson',
  // data load
  'comprows',
  'compupdate',
  'ignoreallerrors',
  'maxerror',
  'noload',
  'statupdate',
  'preset',
  'on',
  'off',
  'true',
  'false',
]);
const VALUE_TOKENS = new Set(['SCONST', 'ICONST', 'FCONST']);

/** Lifts the parameters of each COPY statement; refuses a word that is not one of Redshift's. */
export function liftCopyOptions(tokens: TokenStream, placeholders: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (let i = 0; i < tokens.tokens.length; i++) {
    if (tokens.word(i) !== 'copy' || (i > 0 && tokens.word(i - 1) !== ';')) continue;
    let from = i + 1;
    while (from < tokens.tokens.length && tokens.word(from) !== 'from' && tokens.word(from) !== ';') from++;
    if (tokens.word(from) !== 'from') continue;
    const first = from + 2;
    let last = first - 1;
    for (let k = first; k < tokens.tokens.length && tokens.word(k) !== ';'; k++, last++) {
      const token = tokens.tokens[k];
      if (!token || VALUE_TOKENS.has(token.tokenName) || placeholders.has(tokens.word(k)) || COPY_WORDS.has(tokens.word(k))) continue;
      findings.push({ construct: `COPY parameter ${tokens.text(k)}`, at: token.start, instead: 'the parameters of the COPY reference' });
    }
    if (last >= first) tokens.blank(first, last);
    i = last;
  }
  return findings;
}
