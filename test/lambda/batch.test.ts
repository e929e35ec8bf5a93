import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseWarehouseConfig } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { assertFitsOneBatch, renderBatch } from '../../lambda/loader/submit';
import { MAX_BATCH_STATEMENTS, MAX_STATEMENT_BYTES } from '../../lib/rules/limits';
import { files } from '../../tools/fake-aws';

/** The extremes every setting may take (each is validated at synth, so nothing longer can reach the plan). */
const longest = parseWarehouseConfig({
  'sparkify:sourceBucket': `b${'x'.repeat(61)}b`,
  'sparkify:eventsPrefix': 'e'.repeat(512),
  'sparkify:songsPrefix': 's'.repeat(512),
  'sparkify:jsonpathsKey': `${'j'.repeat(1019)}.json`,
  'sparkify:maxLoadErrors': 100_000,
  'sparkify:sourceRegion': 'us-gov-west-1',
});
const configurations = [
  { name: 'defaults', settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::123456789012:role/sparkify-read', loadId: 'load-1' },
  {
    name: 'longest values',
    settings: longest,
    roleArn: `arn:aws-us-gov:iam::123456789012:role/${'r'.repeat(512)}`,
    loadId: 'L'.repeat(128),
  },
  {
    name: 'MAXERROR set, other prefixes',
    settings: { ...DEFAULT_CONFIG, maxLoadErrors: 10, eventsPrefix: 'log_data/2018/11/', songsPrefix: 'song_data/A/' },
    roleArn: 'arn:aws:iam::123456789012:role/r',
    loadId: 'a.b:c-d_e',
  },
];

describe('the load plan fits one BatchExecuteStatement (one transaction)', () => {
  for (const configuration of configurations) {
    it(`for ${configuration.name}`, () => {
      const sqls = renderBatch(buildLoadPlan(files, configuration));
      expect(() => assertFitsOneBatch(sqls)).not.toThrow();
      expect(sqls.length).toBeLessThanOrEqual(MAX_BATCH_STATEMENTS);
      const largest = Math.max(...sqls.map((sql) => Buffer.byteLength(sql)));
      // Headroom, so a growing gate is noticed here long before the Data API refuses it.
      expect(largest).toBeLessThan(MAX_STATEMENT_BYTES / 4);
    });
  }

  it('refuses a batch over the limits', () => {
    expect(() => assertFitsOneBatch(Array.from({ length: 41 }, () => 'SELECT 1'))).toThrow(
      'the load plan has 41 statements; one BatchExecuteStatement takes 1 to 40',
    );
    expect(() => assertFitsOneBatch([])).toThrow('has 0 statements');
    expect(() => assertFitsOneBatch(['SELECT 1', `SELECT '${'x'.repeat(MAX_STATEMENT_BYTES)}'`])).toThrow(
      /statement 2 of the load plan is \d+ bytes/,
    );
  });

  it('never puts TRUNCATE (which commits in Redshift) in the batch', () => {
    for (const sql of renderBatch(buildLoadPlan(files, configurations[0]!)))
      expect(sql.replace(/--.*$/gm, '')).not.toMatch(/\btruncate\b/i);
  });
});
