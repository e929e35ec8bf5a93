import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  checkDeploymentConfig,
  hasBackgroundLoads,
  parseWarehouseConfig,
} from '../../lib/config/warehouse-config';

const check = (context: Record<string, unknown>) => checkDeploymentConfig(parseWarehouseConfig(context));
const SCHEDULE = { 'sparkify:incrementalSchedule': 'rate(1 day)' };
const SUBMIT = { 'sparkify:loadMode': 'submit' };

describe('background loads: a load that ends after the deploy returned', () => {
  it('are the loads of submit mode and of the schedule; the default has none', () => {
    expect(hasBackgroundLoads(DEFAULT_CONFIG)).toBe(false);
    expect(hasBackgroundLoads(check(SUBMIT))).toBe(true);
    expect(hasBackgroundLoads(check(SCHEDULE))).toBe(true);
    expect(hasBackgroundLoads(check({ ...SUBMIT, ...SCHEDULE }))).toBe(true);
  });
});

describe('sparkify:alarmEmail', () => {
  it("is '' (no email) by default", () => {
    expect(DEFAULT_CONFIG.alarmEmail).toBe('');
    expect(check({})).toMatchObject({ alarmEmail: '' });
  });

  it.each([
    ['submit mode', SUBMIT],
    ['the schedule', SCHEDULE],
  ])('subscribes an address to the failure topic with %s', (_name, context) => {
    expect(check({ ...context, 'sparkify:alarmEmail': 'data-team@example.com' })).toMatchObject({ alarmEmail: 'data-team@example.com' });
  });

  it.each(['data-team', 'a b@example.com', 'x@localhost', "o'brien@example.com", 'data-team@example.com\n', 7])(
    'refuses %j, naming the value and the fix',
    (value) => {
      const parse = () => parseWarehouseConfig({ ...SUBMIT, 'sparkify:alarmEmail': value });
      expect(parse).toThrowError(ConfigError);
      expect(parse).toThrowError(
        `sparkify:alarmEmail = ${JSON.stringify(value)}: use an email address such as 'data-team@example.com', or '' for no email`,
      );
    },
  );

  it('is refused when no load runs in the background: there is no topic, and it would silently do nothing', () => {
    const context = { 'sparkify:alarmEmail': 'data-team@example.com' };
    expect(() => check(context)).toThrowError(ConfigError);
    expect(() => check(context)).toThrowError(
      'sparkify:alarmEmail = "data-team@example.com" with sparkify:loadMode = "wait" and sparkify:incrementalSchedule = "off"',
    );
    expect(() => check(context)).toThrowError(
      "set sparkify:loadMode=submit or sparkify:incrementalSchedule (e.g. 'cron(15 1 * * ? *)'), or remove sparkify:alarmEmail",
    );
  });
});

describe('sparkify:backgroundLoadTimeoutHours', () => {
  it('is 6 hours by default', () => {
    expect(DEFAULT_CONFIG.backgroundLoadTimeoutHours).toBe(6);
  });

  it.each([
    [1, 1],
    ['23', 23],
  ])('takes %j', (value, hours) => {
    expect(check({ ...SUBMIT, 'sparkify:backgroundLoadTimeoutHours': value })).toMatchObject({ backgroundLoadTimeoutHours: hours });
  });

  it.each([0, 24, '1.5', 'six', -3])('refuses %j: the Data API ends any statement at 24 hours', (value) => {
    const parse = () => parseWarehouseConfig({ 'sparkify:backgroundLoadTimeoutHours': value });
    expect(parse).toThrowError(ConfigError);
    expect(parse).toThrowError(`sparkify:backgroundLoadTimeoutHours = ${JSON.stringify(value)}: use a whole number from 1 to 23`);
  });
});
