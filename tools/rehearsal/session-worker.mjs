// The worker thread's entry: TypeScript through tsx, then the worker itself (session-worker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
