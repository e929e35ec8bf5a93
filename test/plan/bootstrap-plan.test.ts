import { describe, expect, it } from 'vitest';
import { PlanError } from '../../lib/plan/bind';
import { buildBootstrapPlan } from '../../lib/plan/bootstrap-plan';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { readSqlFiles } from '../../lib/plan/sql-files';

const files = readSqlFiles();
const sourceRoleArn = 'arn:aws:iam::123456789012:role/sparkify-source-read';
const database = 'sparkify';

describe('the bootstrap plan', () => {
  it('creates users and gives them their roles only where they sign in as database users', () => {
    const names = (mode: 'provisioned' | 'serverless' | 'offline') =>
      buildBootstrapPlan(files, { mode, sourceRoleArn, database }).steps.map((s) => s.name);
    expect(names('provisioned')).toEqual(names('offline'));
    expect(names('provisioned')).toContain('security.grant_loader_role_to_loader_user');
    expect(names('serverless')).not.toContain('security.grant_loader_role_to_loader_user');
    expect(names('serverless')).not.toContain('security.grant_analyst_role_to_analyst_user');
    const call = (mode: 'provisioned' | 'serverless') =>
      buildBootstrapPlan(files, { mode, sourceRoleArn, database }).steps.find((s) => s.name === 'security.call_create_identities')?.sql;
    expect(call('provisioned')).toMatch(/CALL sparkify_create_identities \(TRUE\)$|CALL sparkify_create_identities\(TRUE\)$/);
    expect(call('serverless')).toMatch(/\(FALSE\)$/);
  });

  it('grants ASSUMEROLE on the source role to the loader role alone, for COPY, after revoking it from PUBLIC', () => {
    const { steps } = buildBootstrapPlan(files, { mode: 'serverless', sourceRoleArn, database });
    const names = steps.map((s) => s.name);
    expect(names.indexOf('security.revoke_assumerole_from_public')).toBeLessThan(
      names.indexOf('security.grant_assumerole_for_copy_to_loader'),
    );
    expect(steps.find((s) => s.name === 'security.grant_assumerole_for_copy_to_loader')?.sql).toMatch(
      new RegExp(`GRANT ASSUMEROLE ON '${sourceRoleArn}' TO ROLE sparkify_loader FOR\\s+COPY$`),
    );
    for (const step of steps) expect(step.kind).toBe('security');
  });

  it('takes TEMP on the deployed database from PUBLIC, last, and grants it back to no one', () => {
    for (const mode of ['provisioned', 'serverless', 'offline'] as const) {
      const { steps } = buildBootstrapPlan(files, { mode, sourceRoleArn, database: 'warehouse_2' });
      expect(steps.at(-1)).toMatchObject({
        name: 'security.revoke_temp_on_database_from_public',
        file: 'security/revoke_temp_on_database_from_public.sql',
      });
      expect(steps.at(-1)?.sql).toMatch(/^REVOKE TEMP ON DATABASE "warehouse_2"\s+FROM\s+PUBLIC$/m);
      // No product identity creates a temporary table: neither role gets TEMP back.
      expect(steps.filter((step) => /\bTEMP(ORARY)?\b[\s\S]*\bON\s+DATABASE\b/i.test(step.sql.replace(/^\s*--.*$/gm, '')))).toHaveLength(1);
    }
    // The load plan's SQL holds no temporary table for the loader to need TEMP for.
    const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: sourceRoleArn, loadId: 'x' });
    for (const step of plan.steps)
      expect(step.sql.replace(/^\s*--.*$/gm, '')).not.toMatch(/\bCREATE\s+(LOCAL\s+)?TEMP(ORARY)?\b|\bCREATE\s+TABLE\s+#/i);
  });

  it('refuses a database name that is not one, naming the rule', () => {
    for (const bad of ['Sparkify', 'sparkify"; DROP TABLE songs; --', '', 'a b']) {
      expect(() => buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn, database: bad })).toThrow(
        /^database = .*: use a lower-case name of letters, digits and underscores/,
      );
    }
  });

  it("refuses an ARN that is not an IAM role's, and a mode it does not know", () => {
    expect(() => buildBootstrapPlan(files, { mode: 'offline', sourceRoleArn: "arn:aws:iam::1:role/x' TO PUBLIC --", database })).toThrow(
      PlanError,
    );
    expect(() => buildBootstrapPlan(files, { mode: 'cluster' as 'offline', sourceRoleArn, database })).toThrow(
      /use one of provisioned, serverless, offline/,
    );
  });

  it('has a fingerprint that changes with sql/security and the input, and only with them', () => {
    const base = buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn, database }).fingerprint;
    expect(buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn, database }).fingerprint).toBe(base);
    expect(buildBootstrapPlan(files, { mode: 'serverless', sourceRoleArn, database }).fingerprint).not.toBe(base);
    expect(buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn: `${sourceRoleArn}-2`, database }).fingerprint).not.toBe(base);
    expect(buildBootstrapPlan(files, { mode: 'provisioned', sourceRoleArn, database: 'sparkify_2' }).fingerprint).not.toBe(base);
    const edited = new Map(files);
    edited.set('security/grant_schema_usage_to_analyst.sql', `${files.get('security/grant_schema_usage_to_analyst.sql') ?? ''}\n`);
    expect(buildBootstrapPlan(edited, { mode: 'provisioned', sourceRoleArn, database }).fingerprint).not.toBe(base);
    const marts = new Map(files);
    marts.set('marts/songs.sql', `${files.get('marts/songs.sql') ?? ''}\n`);
    expect(buildBootstrapPlan(marts, { mode: 'provisioned', sourceRoleArn, database }).fingerprint).toBe(base);
  });

  it('leaves the analyst grant to the load, which runs it after the schema as the owner of the tables', () => {
    const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: sourceRoleArn, loadId: 'x' });
    const names = plan.steps.map((s) => s.name);
    expect(names.indexOf('schema.grant_analyst')).toBe(names.indexOf('schema.assert_gate') + 1);
    expect(plan.steps.find((s) => s.name === 'schema.grant_analyst')?.sql.replace(/\s+/g, ' ')).toMatch(
      /GRANT SELECT ON songplays, users, songs, artists, time, load_history, schema_changes TO ROLE sparkify_analyst$/,
    );
  });
});
