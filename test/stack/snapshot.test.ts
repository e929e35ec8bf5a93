import { describe, expect, it } from 'vitest';
import { SYNTH_LOAD_ID, synthWarehouse } from './synth';

/**
 * The template with what changes for reasons other than the stack's code replaced: asset hashes
 * (they follow the handler's and the SQL's bytes), the per-synth load id, and the plan fingerprint
 * (it follows sql/, which has tests of its own).
 */
function normalized(context: Record<string, unknown>): unknown {
  const { template, stack } = synthWarehouse(context);
  const text = JSON.stringify(template.toJSON(), null, 2)
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')
    .replaceAll(SYNTH_LOAD_ID, '<load-id>')
    .replaceAll(stack.fingerprint, '<fingerprint>');
  return JSON.parse(text);
}

describe('template snapshot', () => {
  it('default configuration (provisioned, wait)', () => {
    expect(normalized({})).toMatchSnapshot();
  });

  it('Serverless, submit mode, snapshot on destroy', () => {
    expect(
      normalized({ 'sparkify:compute': 'serverless', 'sparkify:loadMode': 'submit', 'sparkify:removalPolicy': 'snapshot' }),
    ).toMatchSnapshot();
  });
});
