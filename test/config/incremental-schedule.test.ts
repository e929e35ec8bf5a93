import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  checkDeploymentConfig,
  parseWarehouseConfig,
  scheduleExpressionProblem,
} from '../../lib/config/warehouse-config';

const check = (context: Record<string, unknown>) => checkDeploymentConfig(parseWarehouseConfig(context));

describe('sparkify:incrementalSchedule', () => {
  it("is 'off' by default, with no alarm email", () => {
    expect(DEFAULT_CONFIG.incrementalSchedule).toBe('off');
    expect(DEFAULT_CONFIG.alarmEmail).toBe('');
    expect(check({})).toMatchObject({ incrementalSchedule: 'off', alarmEmail: '' });
  });

  it.each([
    'off',
    'cron(15 1 * * ? *)',
    'cron(0 6 ? * MON-FRI *)',
    'cron(0/30 * * * ? *)',
    'rate(1 day)',
    'rate(12 hours)',
    'rate(1 minute)',
  ])('accepts %s', (value) => {
    expect(parseWarehouseConfig({ 'sparkify:incrementalSchedule': value }).incrementalSchedule).toBe(value);
  });

  it.each([
    ['daily', 'not a rate(...) or cron(...) expression'],
    ['at(2026-01-01T00:00:00)', 'a one-time at(...) is not a recurring schedule'],
    ['cron(15 1 * * ?)', 'six fields (minutes hours day-of-month month day-of-week year), found 5'],
    ['cron(15 1 * * * *)', 'exactly one of day-of-month (3rd field) and day-of-week (5th field) must be ?'],
    ['cron(15 1 ? * ? *)', 'exactly one of day-of-month'],
    ['cron(15 1 * * ? *;)', 'has a character cron does not take'],
    ['rate(1 days)', 'write rate(1 day)'],
    ['rate(2 hour)', 'write rate(2 hours)'],
    ['rate(0 days)', 'a positive whole value'],
    ['rate(1 week)', 'not a rate(...) or cron(...) expression'],
    [24, "use 'off' or an EventBridge Scheduler expression"],
    [false, "use 'off' or an EventBridge Scheduler expression"],
  ])('refuses %j, naming the setting, the value and the fix', (value, fix) => {
    const parse = () => parseWarehouseConfig({ 'sparkify:incrementalSchedule': value });
    expect(parse).toThrowError(ConfigError);
    expect(parse).toThrowError(`sparkify:incrementalSchedule = ${JSON.stringify(value)}: `);
    expect(parse).toThrowError(fix);
    expect(parse).toThrowError("e.g. 'cron(15 1 * * ? *)' (01:15 UTC daily) or 'rate(1 day)'");
  });

  it('is refused with a source bucket in another region: the manifest is in the stack’s region, and one COPY reads one region', () => {
    const context = {
      'sparkify:incrementalSchedule': 'rate(1 day)',
      'sparkify:sourceRegion': 'us-east-1',
      'sparkify:enhancedVpcRouting': false,
    };
    expect(() => check(context)).toThrowError(ConfigError);
    expect(() => check(context)).toThrowError(
      'sparkify:incrementalSchedule = "rate(1 day)" with sparkify:sourceRegion = "us-east-1" and sparkify:region = "us-west-2"',
    );
    expect(() => check(context)).toThrowError(
      "deploy to the bucket's region with sparkify:region=us-east-1, or set sparkify:incrementalSchedule=off",
    );
    expect(check({ ...context, 'sparkify:incrementalSchedule': 'off' })).toMatchObject({ sourceRegion: 'us-east-1' });
    expect(check({ ...context, 'sparkify:region': 'us-east-1' })).toMatchObject({
      region: 'us-east-1',
      incrementalSchedule: 'rate(1 day)',
    });
  });

  it('is checked by the same function the stack uses for a construct-level check', () => {
    expect(scheduleExpressionProblem('cron(15 1 * * ? *)')).toBeUndefined();
    expect(scheduleExpressionProblem('rate(5 minutes)')).toBeUndefined();
    expect(scheduleExpressionProblem('rate(5 minute)')).toContain('rate(5 minutes)');
  });
});
