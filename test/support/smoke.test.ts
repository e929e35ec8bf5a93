import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestEngine, type TestEngine } from './engine';

let db: TestEngine;
beforeAll(async () => {
  db = await openTestEngine();
});
afterAll(async () => db.dispose());

it('opens a working engine from the template', async () => {
  const { rows } = await db.engine.query<{ n: number }>('SELECT 1 + 1 AS n');
  expect(rows).toEqual([{ n: 2 }]);
});
