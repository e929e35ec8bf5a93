import {
  CancelStatementCommand,
  DescribeStatementCommand,
  InternalServerException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { QueryFailedError, clientToken, fieldValue, isTransient, runQuery } from '../../lambda/loader/data-api';
import { parseProperties } from '../../lambda/loader/properties';
import { fakeAws, properties, throttling } from '../../tools/fake-aws';

describe('isTransient', () => {
  it('retries throttling, quotas, 5xx and network errors', () => {
    expect(isTransient(throttling())).toBe(true);
    expect(isTransient(new InternalServerException({ message: 'boom', $metadata: {}, Message: 'boom' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'ActiveSessionsExceededException' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('Service Unavailable'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } }))).toBe(
      true,
    );
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('does not retry answers', () => {
    expect(isTransient(new ValidationException({ message: 'Cluster identifier is invalid', $metadata: {} }))).toBe(false);
    expect(isTransient(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }))).toBe(
      false,
    );
    expect(isTransient('nope')).toBe(false);
  });
});

describe('runQuery', () => {
  const props = parseProperties(properties());

  it('waits for the statement and returns typed rows', async () => {
    const aws = fakeAws();
    aws.onQuery(/SELECT 1/, { rows: [{ n: 1, name: 'a', missing: null }], runningPolls: 2 });
    expect(await runQuery(aws.deps, props, 'SELECT 1')).toEqual([{ n: 1, name: 'a', missing: null }]);
    expect(aws.sleeps).toEqual([200, 200]);
  });

  it('throws the database message of a failed statement', async () => {
    const aws = fakeAws();
    aws.onQuery(/SELECT 2/, { error: 'ERROR: syntax error at or near "SELEC"' });
    await expect(runQuery(aws.deps, props, 'SELECT 2')).rejects.toThrow(
      new QueryFailedError('ERROR: syntax error at or near "SELEC"', 'FAILED'),
    );
  });

  it('cancels a query that takes too long', async () => {
    const aws = fakeAws();
    aws.onQuery(/SELECT 3/, { rows: [], runningPolls: 1_000 });
    await expect(runQuery(aws.deps, props, 'SELECT 3')).rejects.toThrow(/no answer within 10 s/);
    expect(aws.mocks.data.commandCalls(CancelStatementCommand)).toHaveLength(1);
    expect(aws.mocks.data.commandCalls(DescribeStatementCommand).length).toBeLessThanOrEqual(52);
  });
});

describe('helpers', () => {
  it('reads every Data API field kind', () => {
    expect(fieldValue({ isNull: true })).toBeNull();
    expect(fieldValue({ stringValue: 's' })).toBe('s');
    expect(fieldValue({ longValue: 7 })).toBe(7);
    expect(fieldValue({ doubleValue: 1.5 })).toBe(1.5);
    expect(fieldValue({ booleanValue: false })).toBe(false);
    expect(fieldValue({ blobValue: new Uint8Array([104, 105]) })).toBe('aGk=');
  });

  it('makes idempotency tokens the Data API accepts (1-64 characters), stable per request', () => {
    expect(clientToken('load', 'req-1', 'load-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(clientToken('load', 'req-1', 'load-1')).toBe(clientToken('load', 'req-1', 'load-1'));
    expect(clientToken('load', 'req-2', 'load-1')).not.toBe(clientToken('load', 'req-1', 'load-1'));
  });
});
