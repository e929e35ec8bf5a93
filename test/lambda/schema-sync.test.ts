import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { handleIsComplete } from '../../lambda/loader/is-complete';
import { handleOnEvent } from '../../lambda/loader/on-event';
import {
  BATCH_ID,
  ROLE_ARN,
  SETTINGS,
  declaredCatalog,
  event,
  fakeAws,
  files,
  historyRow,
  properties,
  type FakeAws,
} from '../../tools/fake-aws';

// The Lambda runs the same schema comparison as the twin (lib/plan/schema-sync.ts): onEvent reads
// the catalog, puts the rebuild in the batch and hands its decision to isComplete.
const LOAD_ID = 'load-20250101T000000Z';
const plan = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID });

/** The catalog rows sql/catalog/table_columns.sql returns for the declared tables, with `edit` applied. */
function catalog(edit: (row: Record<string, string | number>) => Record<string, string | number> = (row) => row) {
  return declaredCatalog(plan).map(edit);
}

function deployableAws(
  rows: Record<string, string | number>[],
  grants: Record<string, string>[] = [{ table_name: 'songs', privilege_type: 'SELECT', identity_name: 'analysts', identity_type: 'role' }],
): FakeAws {
  const aws = fakeAws();
  aws.healthyCluster();
  aws.s3Access();
  aws.noHistory();
  aws.onQuery(/FROM\s+pg_table_def/, { rows });
  aws.onQuery(/FROM\s+svv_relation_privileges/, { rows: grants });
  return aws;
}

const narrowerTitle = catalog((row) =>
  row.table_name === 'songs' && row.column_name === 'title' ? { ...row, type: 'character varying(512)' } : row,
);

describe('schema changes through the Data API', () => {
  it('creates no table the warehouse already has as declared, and hands isComplete the same plan', async () => {
    const aws = deployableAws(catalog());
    const response = await handleOnEvent(event('Create', properties()), aws.deps);
    const sqls = aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls ?? [];
    expect(sqls.some((sql) => /\nDROP TABLE /.test(sql))).toBe(false);
    expect(sqls.some((sql) => /CREATE TABLE/.test(sql))).toBe(false);
    // Every table present and unchanged: its CREATE TABLE IF NOT EXISTS would do nothing (the batch holds 40).
    expect(sqls.length).toBe(plan.steps.length - plan.tables.length);
    expect(JSON.parse(String(response.Data?.SchemaSync))).toMatchObject({ rebuilt: [], unchanged: plan.tables.map((t) => t.name) });
  });

  it('fits one batch when every rebuildable table changes, with grants to two grantees', async () => {
    const aws = deployableAws(
      catalog((row) => (['load_history', 'schema_changes'].includes(String(row.table_name)) ? row : { ...row, diststyle: 'EVEN' })),
      plan.tables.flatMap((t) => [
        { table_name: t.name, privilege_type: 'SELECT', identity_name: 'analysts', identity_type: 'role' },
        { table_name: t.name, privilege_type: 'SELECT', identity_name: 'bi_tool', identity_type: 'user' },
      ]),
    );
    await handleOnEvent(event('Create', properties()), aws.deps);
    const sqls = aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls ?? [];
    expect(sqls.length).toBeLessThanOrEqual(40);
    expect(sqls.filter((sql) => /CREATE TABLE/.test(sql))).toHaveLength(plan.tables.length - 2);
    expect(sqls.filter((sql) => /\nGRANT SELECT ON /.test(sql))).toHaveLength(2);
  });

  it('rebuilds a changed table and its dependents in the batch, grants kept, and isComplete sees the same steps', async () => {
    const aws = deployableAws(narrowerTitle);
    const response = await handleOnEvent(event('Create', properties()), aws.deps);
    const sqls = aws.mocks.data.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls ?? [];
    const at = (pattern: RegExp) => sqls.findIndex((sql) => pattern.test(sql));
    // One DROP for every rebuilt table (the batch holds 40 statements), before the schema creates them again.
    const drop = at(/\nDROP TABLE songplays, songs$/);
    expect(drop).toBeGreaterThanOrEqual(0);
    expect(drop).toBeLessThan(at(/CREATE TABLE IF NOT EXISTS songs/));
    expect(at(/\nGRANT SELECT ON songs TO ROLE "analysts"$/)).toBeGreaterThan(at(/CREATE TABLE IF NOT EXISTS songs/));
    expect(sqls.filter((sql) => sql.includes('INSERT INTO schema_changes'))).toEqual([
      expect.stringMatching(
        /\('load-\d+T\d+Z', 'songplays', 'rebuilt with songs, which its FOREIGN KEY references'\),\s+\('load-\d+T\d+Z', 'songs', 'column title type character varying\(512\) -> character varying\(1024\)'\)/,
      ),
    ]);
    expect(aws.logs.find((line) => line.message === 'schema')?.attributes.rebuilt).toEqual([
      'songplays rebuilt: rebuilt with songs, which its FOREIGN KEY references',
      'songs rebuilt: column title type character varying(512) -> character varying(1024)',
    ]);

    // isComplete, from onEvent's Data: a step is named by its place in the same batch.
    const data = response.Data as Record<string, string>;
    const polled = { ...event('Create', properties()), PhysicalResourceId: response.PhysicalResourceId, Data: data };
    aws.scriptBatch({
      Status: 'STARTED',
      SubStatements: sqls.map((_, i) => ({
        Id: `${BATCH_ID}:${i + 1}`,
        Status: i < drop ? 'FINISHED' : i === drop ? 'STARTED' : 'SUBMITTED',
      })),
    });
    expect(await handleIsComplete(polled, aws.deps)).toEqual({ IsComplete: false });
    expect(aws.logs.find((line) => line.message === 'poll')?.attributes.step).toBe('schema.drop_changed_tables');

    aws.scriptBatch({ Status: 'FINISHED' });
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow(LOAD_ID, 'succeeded')] });
    const done = await handleIsComplete(polled, aws.deps);
    expect(done.Data?.SchemaSync).toBe(
      'songplays rebuilt: rebuilt with songs, which its FOREIGN KEY references | songs rebuilt: column title type character varying(512) -> character varying(1024)',
    );
  });

  it('fails the deploy before submitting when load_history differs from its DDL', async () => {
    const aws = deployableAws(
      catalog((row) =>
        row.table_name === 'load_history' && row.column_name === 'error' ? { ...row, type: 'character varying(1024)' } : row,
      ),
    );
    const error = await handleOnEvent(event('Create', properties()), aws.deps).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Nothing was loaded: sql\/schema\/load_history\.sql: load_history keeps the record of every load/,
    );
    expect(aws.mocks.data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });
});
