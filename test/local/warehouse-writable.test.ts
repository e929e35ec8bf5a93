import { describe, expect, it } from 'vitest';
import { writeRefusal } from '../../local/warehouse';

// What a load is told about a warehouse entry it cannot write, from its mode and what access(W_OK)
// answered. The tests run as root here: these are the cases of other users, and of root.
describe('writeRefusal', () => {
  it('a user refused by the kernel (another owner, no write bit for them): the error code', () => {
    expect(writeRefusal(0o40755, 'EACCES')).toEqual({ reason: 'EACCES', readOnlyMount: false });
    expect(writeRefusal(0o100444, 'EACCES')).toEqual({ reason: 'EACCES', readOnlyMount: false });
  });

  it('root, whom the kernel lets write, on an entry with no write bit: refused, as PGlite refuses it', () => {
    expect(writeRefusal(0o40555, undefined)).toEqual({ reason: 'no write permission, mode 0555', readOnlyMount: false });
    expect(writeRefusal(0o100400, undefined)).toEqual({ reason: 'no write permission, mode 0400', readOnlyMount: false });
  });

  it('a read-only mount, root included: said so, with no chmod to try', () => {
    expect(writeRefusal(0o40755, 'EROFS')).toEqual({ reason: 'EROFS', readOnlyMount: true });
  });

  it('an entry with a write bit that the kernel lets this user write: writable (owner-only 0700 and 0600 included)', () => {
    for (const mode of [0o40700, 0o100600, 0o40755, 0o100200, 0o100020]) expect(writeRefusal(mode, undefined)).toBeUndefined();
  });
});
