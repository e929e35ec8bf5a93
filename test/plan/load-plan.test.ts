import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { PlanError } from '../../lib/plan/bind';
import { buildLoadPlan, clipUtf8, failureStatement, gateAssertion, planFingerprint } from '../../lib/plan/load-plan';
import { MAX_ERROR_BYTES } from '../../lib/rules/limits';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { MAX_BATCH_STATEMENTS } from '../../lib/rules/limits';
import { KEPT_TABLES, withSchemaSync } from '../../lib/plan/schema-sync';

const files = readSqlFiles();
const input = { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::123456789012:role/sparkify-read', loadId: 'load-1' };

describe('buildLoadPlan', () => {
  const plan = buildLoadPlan(files, input);
  const names = plan.steps.map((step) => step.name);

  it('orders schema, history start, staging, marts, gates, history end', () => {
    const kinds = plan.steps.map((step) => step.kind);
    expect(kinds[0]).toBe('schema');
    expect(names.indexOf('staging.staging_events')).toBeLessThan(names.indexOf('mart.songs'));
    expect(names.indexOf('mart.songs')).toBeLessThan(names.indexOf('mart.songplays'));
    expect(names.indexOf('mart.songplays')).toBeLessThan(names.indexOf('mart.time'));
    expect(names.indexOf('mart.time')).toBeLessThan(names.findIndex((name) => name.startsWith('gate.')));
    expect(names.at(-1)).toBe('history.load_succeeded');
    expect(new Set(names).size).toBe(names.length);
  });

  it('clears every table with DELETE before filling it, and never TRUNCATEs (it commits in Redshift)', () => {
    for (const table of ['staging_events', 'staging_songs', 'songs', 'artists', 'users', 'songplays', 'time']) {
      expect(names.indexOf(`clear.${table}`)).toBeGreaterThan(-1);
      expect(plan.steps.find((step) => step.name === `clear.${table}`)?.sql).toMatch(new RegExp(`^DELETE FROM ${table}$`, 'm'));
    }
    expect(plan.steps.some((step) => /\btruncate\b/i.test(step.sql.replace(/--.*$/gm, '')))).toBe(false);
  });

  it('binds the role, URIs, region and MAXERROR into the COPY statements', () => {
    const events = plan.steps.find((step) => step.name === 'staging.staging_events')?.sql ?? '';
    expect(events).toContain("FROM 's3://udacity-dend/log_data'");
    expect(events).toContain("IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-read'");
    expect(events).toContain("FORMAT AS JSON 's3://udacity-dend/log_json_path.json'");
    expect(events).toContain("REGION 'us-west-2'");
    expect(events).toContain('MAXERROR 0');
    expect(plan.steps.some((step) => step.sql.includes('{{'))).toBe(false);
  });

  it('fits one BatchExecuteStatement (at most 40 statements) in every mode, the worst schema rebuild included', () => {
    expect(MAX_BATCH_STATEMENTS).toBe(40);
    const uri = (name: string) => `s3://sparkify-manifests/loads/load-1/${name}`;
    const tracked = buildLoadPlan(files, { ...input, mode: { kind: 'full', filesUri: uri('files.jsonl') } });
    const incremental = buildLoadPlan(files, {
      ...input,
      mode: { kind: 'incremental', manifestUri: uri('events.manifest'), filesUri: uri('files.jsonl') },
    });
    const all = tracked.tables.map((table) => table.name);
    const rebuildable = all.filter((table) => !KEPT_TABLES.has(table));
    const grant = (identity_name: string, identity_type: string) => ({
      table_name: 'songs',
      privilege_type: 'SELECT',
      identity_name,
      identity_type,
    });
    // Every table the load may rebuild changed, their grants held by two grantees: the most a batch ever holds.
    const worst = withSchemaSync(files, tracked, {
      rebuilt: rebuildable.map((table) => ({ table, changes: ['changed'] })),
      grants: [grant('sparkify_analyst', 'role'), grant('bob', 'user')],
      unchanged: all.filter((table) => KEPT_TABLES.has(table)),
      analystGranted: true,
    });
    const steady = { rebuilt: [], grants: [], unchanged: all, analystGranted: true };
    const counts = {
      firstDeploy: plan.steps.length,
      firstDeployTracked: tracked.steps.length,
      worstRebuild: worst.steps.length,
      steady: withSchemaSync(files, tracked, steady).steps.length,
      incremental: withSchemaSync(files, incremental, steady).steps.length,
    };
    expect(counts).toEqual({ firstDeploy: 38, firstDeployTracked: 39, worstRebuild: 40, steady: 27, incremental: 19 });
  });

  it('builds an incremental load from the full one: only the new log files, nothing created, songs and artists kept', () => {
    const incremental = buildLoadPlan(files, {
      ...input,
      mode: {
        kind: 'incremental',
        manifestUri: 's3://sparkify-manifests/loads/load-1/events.manifest',
        filesUri: 's3://sparkify-manifests/loads/load-1/files.jsonl',
      },
    });
    const steps = incremental.steps.map((step) => step.name);
    expect(incremental.fingerprint).toBe(plan.fingerprint);
    expect(steps.filter((name) => name.startsWith('schema.'))).toEqual(['schema.assert_gate', 'schema.grant_analyst']);
    expect(steps).not.toContain('clear.songplays');
    expect(steps).not.toContain('mart.songs');
    expect(steps).toContain('gate.source_files_tracked_once');
    expect(names).not.toContain('gate.source_files_tracked_once');
    const copy = incremental.steps.find((step) => step.name === 'staging.staging_events')?.sql ?? '';
    expect(copy).toContain("FROM 's3://sparkify-manifests/loads/load-1/events.manifest' MANIFEST");
    expect(() =>
      buildLoadPlan(files, { ...input, mode: { kind: 'incremental', manifestUri: "s3://b/x' --", filesUri: 's3://bkt/x' } }),
    ).toThrowError(/is not s3:\/\/bucket\/key/);
  });

  it('fingerprints SQL and settings, not the load id or the role', () => {
    const other = buildLoadPlan(files, { ...input, loadId: 'load-2', roleArn: 'arn:aws:iam::123456789012:role/other' });
    expect(other.fingerprint).toBe(plan.fingerprint);
    expect(planFingerprint(files, { ...DEFAULT_CONFIG, eventsPrefix: 'log_data_new' })).not.toBe(plan.fingerprint);
    const edited = new Map(files);
    edited.set('marts/users.sql', `${files.get('marts/users.sql')}\n-- edited`);
    expect(planFingerprint(edited, DEFAULT_CONFIG)).not.toBe(plan.fingerprint);
  });

  it('refuses a role that is not a role ARN and a load id that could break out of a string', () => {
    expect(() => buildLoadPlan(files, { ...input, roleArn: "x' OR 1=1" })).toThrowError(PlanError);
    expect(() => buildLoadPlan(files, { ...input, loadId: "a'b" })).toThrowError(/load id/);
  });

  it('names the file and line of an unknown parameter', () => {
    const broken = new Map(files);
    broken.set('marts/users.sql', 'SELECT 1\nFROM {{ nope }}');
    expect(() => buildLoadPlan(broken, input)).toThrowError('sql/marts/users.sql:2: unknown parameter {{ nope }}');
  });

  it('names a missing plan file', () => {
    const broken = new Map(files);
    broken.delete('schema/users.sql');
    expect(() => buildLoadPlan(broken, input)).toThrowError('sql/schema/users.sql is missing');
  });

  it('wraps a gate into one CALL with its query quoted', () => {
    const gate = plan.steps.find((step) => step.kind === 'gate');
    expect(gate).toBeDefined();
    const call = gateAssertion({ ...gate!, sql: "SELECT 'x' AS y" });
    expect(call).toBe(`CALL assert_gate('${gate!.name}', 'SELECT ''x'' AS y')`);
  });

  it('escapes the error message of a failed load', () => {
    const sql = failureStatement(files, plan, new Date('2026-01-02T03:04:05.678Z'), "relation 'x' does not exist");
    expect(sql).toContain("'2026-01-02 03:04:05.678'");
    expect(sql).toContain("'relation ''x'' does not exist'");
  });
});

describe('the failure record', () => {
  const plan = buildLoadPlan(files, input);
  const literal = (sql: string) => /'((?:[^']|'')*)'\s*\)$/.exec(sql)?.[1]?.replace(/''/g, "'");

  it('load_history.error holds MAX_ERROR_BYTES: the schema and the constant agree', () => {
    expect(files.get('schema/load_history.sql')).toMatch(new RegExp(`\\berror\\s+VARCHAR\\(${MAX_ERROR_BYTES}\\)`));
  });

  it('cuts a long message to the limit first and escapes it after, at every alignment', () => {
    for (let pad = 0; pad < 8; pad++) {
      const message = `${'x'.repeat(pad)}${"é'😀\\".repeat(700)}`;
      const sql = failureStatement(files, plan, new Date('2026-01-02T03:04:05.678Z'), message);
      const stored = literal(sql);
      expect(stored).toBeDefined();
      expect(Buffer.byteLength(stored as string)).toBeLessThanOrEqual(MAX_ERROR_BYTES);
      expect(Buffer.byteLength(stored as string)).toBeGreaterThan(MAX_ERROR_BYTES - 4);
      expect(message.replace(/\\/g, '/').startsWith(stored as string)).toBe(true);
    }
  });

  it('clipUtf8 keeps whole characters within the bytes', () => {
    expect(clipUtf8('abc', 10)).toBe('abc');
    expect(clipUtf8('aé', 2)).toBe('a');
    expect(clipUtf8('😀😀', 7)).toBe('😀');
    expect(clipUtf8('😀😀', 8)).toBe('😀😀');
    expect(clipUtf8('€x', 3)).toBe('€');
  });
});
