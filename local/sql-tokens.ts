// The tokenizer lives in lib/plan (the plan reads table designs with it); the twin's modules import it from here.
export * from '../lib/plan/sql-tokens';
