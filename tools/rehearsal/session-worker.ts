import { parentPort, workerData } from 'node:worker_threads';
import { openEngine } from '../../local/engine';
import { inProcess } from './sessions';
import type { RunRequest } from './statement-runner';

/** PGlite in a worker thread, answering sessions.ts's messages one at a time. */
type Message =
  | { readonly op: 'run'; readonly request: RunRequest }
  | { readonly op: 'query'; readonly sql: string; readonly params?: readonly unknown[] }
  | { readonly op: 'exec'; readonly sql: string }
  | { readonly op: 'reset' };

const port = parentPort;
if (!port) throw new Error('session-worker.ts runs in a worker thread');
void openEngine((workerData as { dir: string }).dir).then((engine) => {
  const backend = inProcess(engine);
  port.on('message', (message: Message) => {
    const work =
      message.op === 'run'
        ? backend.run(message.request, (index) => port.postMessage({ type: 'started', index }))
        : message.op === 'query'
          ? backend.query(message.sql, message.params)
          : message.op === 'exec'
            ? backend.exec(message.sql)
            : backend.reset();
    work.then(
      (value) => port.postMessage({ type: 'done', value }),
      (error: unknown) => port.postMessage({ type: 'failed', message: (error as Error).message }),
    );
  });
  port.postMessage({ type: 'ready' });
});
