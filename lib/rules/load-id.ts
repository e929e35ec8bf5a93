import type { TextRule } from './text-rule';

/**
 * Names a load in load_history and in the Data API's statement names. Pasted into SQL string
 * literals unescaped (BatchExecuteStatement takes no parameters), so no quote may pass.
 */
export const LOAD_ID: TextRule = { pattern: /^[A-Za-z0-9._:-]{1,128}$/, expected: '1-128 letters, digits or . _ : -' };

/**
 * The Data API statement name of a load is this prefix and its load id: a rollback finds loads still
 * running by it, and the stack's failure rule (lib/schedule) matches their EventBridge events by it.
 */
export const LOAD_STATEMENT_PREFIX = 'sparkify-load:';
