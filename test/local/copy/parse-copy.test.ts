import { describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { CopySyntaxError } from '../../../local/copy/copy-syntax-error';

const PROJECT_STATEMENT = `COPY staging_events
FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-read'
REGION 'us-west-2'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
TIMEFORMAT 'epochmillisecs'
MAXERROR 0
COMPUPDATE OFF STATUPDATE OFF;`;

function syntaxError(sql: string): CopySyntaxError {
  try {
    parseCopy(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(CopySyntaxError);
    return error as CopySyntaxError;
  }
  throw new Error(`expected a CopySyntaxError for: ${sql}`);
}

describe('parseCopy', () => {
  it("reads the project's staging_events statement", () => {
    expect(parseCopy(PROJECT_STATEMENT)).toEqual({
      table: 'staging_events',
      from: 's3://udacity-dend/log_data',
      manifest: false,
      iamRole: 'arn:aws:iam::123456789012:role/sparkify-read',
      region: 'us-west-2',
      format: { kind: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json' },
      timeFormat: 'epochmillisecs',
      maxError: 0,
      emptyAsNull: false,
      blanksAsNull: false,
      truncateColumns: false,
      roundDecimals: false,
    });
  });

  it("reads the songs statement with FORMAT AS JSON 'auto' and the defaults", () => {
    const command = parseCopy(
      "COPY staging_songs FROM 's3://udacity-dend/song_data' IAM_ROLE 'arn:aws:iam::1:role/r' FORMAT AS JSON 'auto';",
    );
    expect(command).toMatchObject({ table: 'staging_songs', format: { kind: 'auto' }, maxError: 0 });
    expect(command?.timeFormat).toBeUndefined();
  });

  it('accepts any case, comments, odd whitespace, JSON without FORMAT and AS everywhere', () => {
    const command = parseCopy(`
      -- load the events
      copy /* target */ Public.Staging_Events ( Artist , "FirstName" )
      from   's3://bucket/prefix'   credentials 'aws_iam_role=arn:aws:iam::1:role/r'
      region as 'eu-west-1'
      json as 'auto ignorecase' timeformat as 'auto' maxerror as 25
      emptyasnull blanksasnull truncatecolumns acceptinvchars as '^'
      compupdate statupdate on roundec ;  -- done`);
    expect(command).toEqual({
      table: 'public.staging_events',
      columns: ['artist', 'firstname'],
      from: 's3://bucket/prefix',
      manifest: false,
      region: 'eu-west-1',
      format: { kind: 'auto ignorecase' },
      timeFormat: 'auto',
      maxError: 25,
      emptyAsNull: true,
      blanksAsNull: true,
      truncateColumns: true,
      roundDecimals: true,
      acceptInvChars: '^',
    });
  });

  it("reads TIMEFORMAT 'epochsecs', the default format string, IAM_ROLE default and ACCEPTINVCHARS without a character", () => {
    expect(parseCopy("COPY t FROM 's3://b/p' IAM_ROLE default JSON 'auto' TIMEFORMAT 'epochsecs' ACCEPTINVCHARS")).toMatchObject({
      iamRole: 'default',
      timeFormat: 'epochsecs',
      acceptInvChars: '?',
    });
    expect(parseCopy("COPY t FROM 's3://b/p' JSON 'auto' TIMEFORMAT 'yyyy-mm-dd hh:mi:ss'")?.timeFormat).toBe('YYYY-MM-DD HH:MI:SS');
  });

  it('reads a quoted string with a doubled quote', () => {
    expect(parseCopy("COPY t FROM 's3://b/it''s' JSON 'auto'")?.from).toBe("s3://b/it's");
  });

  it('returns undefined for statements that are not a COPY', () => {
    expect(parseCopy('INSERT INTO songs SELECT * FROM staging_songs;')).toBeUndefined();
    expect(parseCopy('-- COPY in a comment\nSELECT 1')).toBeUndefined();
    expect(parseCopy("CREATE FUNCTION f() RETURNS int AS $$ SELECT 'unterminated $$ LANGUAGE sql")).toBeUndefined();
    expect(parseCopy('')).toBeUndefined();
  });

  it('names an unsupported option instead of ignoring it', () => {
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' GZIP").message).toMatch(/option GZIP is not supported/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' ENCRYPTED").message).toMatch(/option ENCRYPTED is not supported/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' DATEFORMAT 'auto'").message).toMatch(/DATEFORMAT/);
    expect(syntaxError("COPY t FROM 's3://b/p' CSV").message).toMatch(/option CSV is not supported/);
  });

  it('rejects formats and values it cannot emulate', () => {
    expect(syntaxError("COPY t FROM 's3://b/p' FORMAT AS PARQUET").message).toMatch(/FORMAT PARQUET is not supported/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'shredded'").message).toMatch(/JSON 'shredded' is not supported/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' TIMEFORMAT 'MM/DD/YYYY'").message).toMatch(
      /TIMEFORMAT 'MM\/DD\/YYYY' is not supported/,
    );
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' MAXERROR -1").message).toMatch(/MAXERROR needs a whole number/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' MAXERROR 100001").message).toMatch(/0 to 100000/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' COMPUPDATE MAYBE").message).toMatch(/COMPUPDATE takes ON or OFF/);
  });

  it('requires an s3:// source and a JSON format', () => {
    expect(syntaxError("COPY t FROM '/tmp/file.json' JSON 'auto'").message).toMatch(/not an s3:\/\/ URI/);
    expect(syntaxError("COPY t FROM 's3://b/p' IAM_ROLE 'arn'").message).toMatch(/no FORMAT AS JSON given/);
    expect(syntaxError("COPY t 's3://b/p' JSON 'auto'").message).toMatch(/expected FROM/);
  });

  it('rejects an option given twice and a second statement', () => {
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' FORMAT AS JSON 'auto'").message).toMatch(/more than once/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' MAXERROR 1 MAXERROR 2").message).toMatch(/MAXERROR is given more than once/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto'; SELECT 1").message).toMatch(/after the end of the statement/);
  });

  it('reports unterminated strings and comments', () => {
    expect(syntaxError("COPY t FROM 's3://b/p").message).toMatch(/unterminated string literal/);
    expect(syntaxError("COPY t FROM 's3://b/p' JSON 'auto' /* open").message).toMatch(/unterminated \/\* comment/);
  });
});
